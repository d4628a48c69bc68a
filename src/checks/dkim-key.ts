import { base64Bytes, describeTagListFault, parseTagList, type TagList } from '../dkim/index.ts';
import { joinTxt, type ResourceRecord } from '../resolver/index.ts';
import type { Remark } from './model.ts';
import { remark } from './remarks.ts';

/**
 * DKIM key records (RFC 6376 §3.6.1) compared by meaning: the tags parsed by dkim's tag-list parser (RFC 6376
 * §3.2), the p= key decoded from base64 and compared byte for byte. How the TXT strings were split does not matter
 * (receivers join them, §3.6.2.2), nor does whitespace inside p= (base64string allows FWS), nor a trailing ";".
 */

function tagsOf(text: string): TagList | null {
  const parsed = parseTagList(text);
  return parsed.ok ? parsed.value : null;
}

/**
 * Grades the TXT records found at a selector against the record the plan publishes. Returns remarks; no
 * remark of severity error means the key is ours.
 */
export function compareDkimRecords(
  found: readonly ResourceRecord[],
  expectedText: string,
): { remarks: Remark[]; matches: boolean } {
  const remarks: Remark[] = [];
  const expected = tagsOf(expectedText);
  const expectedKey = base64Bytes(expected?.get('p') ?? '') ?? Buffer.alloc(0);
  const txts = found.filter((r) => r.data.type === 'TXT');
  const texts = txts.map((r) => (r.data.type === 'TXT' ? joinTxt(r.data) : ''));
  if (txts.length > 1) {
    const whole = [texts.join(''), [...texts].reverse().join('')];
    const holdsKey = (t: string) => base64Bytes(tagsOf(t)?.get('p') ?? '')?.equals(expectedKey) === true;
    // Split means no record holds the key alone, but the records joined do.
    const split = !texts.some(holdsKey) && whole.some(holdsKey);
    remarks.push(
      split
        ? remark(
            'dkim-split-across-records',
            'error',
            `The key is split across ${txts.length} separate TXT records. It must be one TXT record; long values are split into several strings inside that one record (RFC 6376 §3.6.2.2). Delete them and add the value as a single record.`,
          )
        : remark(
            'several-records',
            'error',
            `There are ${txts.length} TXT records at this selector; a receiver picks one at random or fails (RFC 6376 §3.6.2.2). Keep only senderd's.`,
          ),
    );
    return { remarks, matches: false };
  }
  const text = texts[0] ?? '';
  const strings = txts[0]?.data.type === 'TXT' ? txts[0].data.strings : [];
  if (text.includes('"')) {
    remarks.push(
      remark(
        'stray-quotes',
        'error',
        'The value contains quote characters. Your DNS host adds the quotes itself: enter the value without them.',
      ),
    );
  }
  const unquoted = text.replace(/"/g, '');
  const parsed = parseTagList(unquoted);
  // A record with a p= tag whose list is broken is a key record with a syntax fault: say which. One without p= is
  // not a key record at all, whatever its syntax.
  if (!parsed.ok && /(?:^|;)[ \t]*p[ \t]*=/.test(unquoted)) {
    // RFC 6376 §3.2: one bad or repeated tag makes the whole list invalid, so receivers fail every signature.
    remarks.push(
      remark(
        parsed.error.fault === 'duplicate-tag' ? 'dkim-duplicate-tag' : 'dkim-bad-syntax',
        'error',
        `${describeTagListFault(parsed.error)} That makes the whole key record invalid (RFC 6376 §3.2), so receivers fail every signature with this selector. Enter the value from the plan.`,
      ),
    );
    return { remarks, matches: false };
  }
  const tags = parsed.ok ? parsed.value : new Map<string, string>();
  if (!tags.has('p')) {
    // Tag names are case-sensitive (RFC 6376 §3.2): a P= is an unknown tag, which receivers ignore.
    const upper = tags.has('P') ? ' Tag names are case-sensitive: P= is not p=.' : '';
    remarks.push(
      remark(
        'dkim-not-a-key',
        'error',
        `This is not a DKIM key record (no p= tag): "${text.slice(0, 60)}".${upper}`,
      ),
    );
    return { remarks, matches: false };
  }
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1')
    remarks.push(remark('dkim-bad-version', 'error', `v=${v} is not DKIM1 (RFC 6376 §3.6.1).`));
  const p = tags.get('p') ?? '';
  if (p === '') {
    remarks.push(
      remark(
        'dkim-revoked',
        'error',
        'The key is empty (p=): that means "revoked", so receivers fail every signature with this selector (RFC 6376 §3.6.1). Publish the current key.',
      ),
    );
    return { remarks, matches: false };
  }
  const bytes = base64Bytes(p);
  if (bytes !== null && bytes.equals(expectedKey)) {
    if ((tags.get('k') ?? 'rsa') !== (expected?.get('k') ?? 'rsa'))
      remarks.push(
        remark(
          'dkim-key-type',
          'error',
          `k=${tags.get('k') ?? 'rsa'} does not match the key's type, k=${expected?.get('k') ?? 'rsa'}.`,
        ),
      );
    if (/;\s*$/.test(expectedText) !== /;\s*$/.test(text))
      remarks.push(
        remark(
          'trailing-semicolon',
          'warning',
          'The trailing ";" differs from the planned value (your DNS host removed or added it). This is harmless.',
        ),
      );
    return { remarks, matches: !remarks.some((r) => r.severity === 'error') };
  }
  // A cut value may end mid-quantum; decode the whole quanta to see whether it is our key's beginning.
  const compact = p.replace(/\s+/g, '');
  const head = base64Bytes(compact.slice(0, compact.length - (compact.length % 4)));
  const truncated =
    head !== null &&
    head.length >= 16 &&
    head.length < expectedKey.length &&
    expectedKey.subarray(0, head.length - 2).equals(head.subarray(0, head.length - 2));
  const last = strings.at(-1);
  if (truncated) {
    remarks.push(
      last !== undefined && last.length === 255 && strings.length === 1
        ? remark(
            'string-truncated-at-255',
            'error',
            'The key was cut at 255 characters: a TXT string holds at most 255 bytes (RFC 1035 §3.3.14) and your DNS host did not split the long value. Enter it as several quoted strings ("part1" "part2"), or use a host that splits long values.',
          )
        : remark(
            'dkim-key-truncated',
            'error',
            `The key is cut short: ${head.length} of ${expectedKey.length} bytes. Copy the whole value again.`,
          ),
    );
  } else if (bytes === null) {
    remarks.push(
      remark('dkim-bad-base64', 'error', 'The p= value is not valid base64: part of the key was mangled.'),
    );
  } else {
    remarks.push(
      remark(
        'dkim-key-mismatch',
        'error',
        "This is a different key from senderd's for this selector. Replace the value with the one in the plan.",
      ),
    );
  }
  return { remarks, matches: false };
}
