import { cidrBounds, formatIp, parseCidr } from '../ip/index.ts';
import { joinTxt, type ResourceRecord } from '../resolver/index.ts';
import { checkHost, isSpfRecord, parseSpfRecord, type SpfOutcome, type SpfStep } from '../spf/index.ts';
import { emptyResult, observe, troubleRemark, type CheckContext, type PathResult } from './context.ts';
import type { DnsView, Remark } from './model.ts';
import { remark } from './remarks.ts';
import { spfDnsOver } from './spf-dns.ts';

export interface SpfCheckOptions {
  /** Missing is an error when required (the bounce host), a warning when not (the apex, RFC 7208 is optional). */
  readonly required: boolean;
  /** The name whose inclusion the plan asks for (t.spf.Z at the apex), to remark when it is absent. */
  readonly expectInclude?: string;
}

/**
 * SPF at a name, checked as a receiver evaluates it: exactly one v=spf1 record, RFC 7208 syntax, every platform
 * egress IP passing check_host(), and the worst-case DNS-lookup and void-lookup counts with the path that spends
 * them (RFC 7208 §4.6.4).
 */
export async function checkSpfAt(
  view: DnsView,
  name: string,
  ctx: CheckContext,
  options: SpfCheckOptions,
): Promise<PathResult> {
  const result = emptyResult();
  const lookup = await view.lookup(name, 'TXT');
  result.observed.push(...observe(lookup, view.path));
  const trouble = troubleRemark(lookup);
  if (trouble !== null) {
    result.remarks.push(trouble);
    return result;
  }
  if (lookup.chain.length > 0 && name === ctx.plan.domain) {
    result.remarks.push(
      remark(
        'cname-at-apex',
        'error',
        `${name} itself is a CNAME to ${lookup.chain[0]!.target}. Nothing else can exist beside a CNAME (RFC 1034 §3.6.2): your domain's SPF, MX and other records are replaced by the target's, and at a zone apex it breaks the SOA and NS records. Remove it.`,
      ),
    );
  }
  const txts = lookup.records.filter((r) => r.data.type === 'TXT');
  const texts = txts.map((r) => (r.data.type === 'TXT' ? joinTxt(r.data) : ''));
  const spf = txts.filter((_r, i) => isSpfRecord(texts[i]!));
  const quoted = texts.filter((t) => !isSpfRecord(t) && isSpfRecord(t.replace(/^["'\s]+/, '')));
  if (quoted.length > 0)
    result.remarks.push(
      remark(
        'stray-quotes',
        'error',
        `A TXT record here is ${JSON.stringify(quoted[0]!.slice(0, 60))}: the quotes are part of the value, so receivers do not see an SPF record. Your DNS host adds the quotes itself: enter the value without them.`,
      ),
    );
  if (spf.length === 0) {
    if (quoted.length === 0)
      result.remarks.push(
        options.required
          ? remark('spf-none', 'error', `${name} has no SPF record (v=spf1). Mail from it fails SPF.`)
          : remark(
              'spf-none',
              'warning',
              `${name} has no SPF record. senderd sends with its bounce host, so your DMARC still passes; add one if mail with an envelope sender @${name} leaves through senderd or your own servers.`,
            ),
      );
    return result;
  }
  if (spf.length > 1) {
    result.remarks.push(
      remark(
        'spf-multiple',
        'error',
        `${name} has ${spf.length} SPF records. A name may have only one (RFC 7208 §3.2); with more, every receiver returns permerror. Merge them into one record.`,
      ),
    );
    return result;
  }
  const record = spf[0]!;
  const text = joinTxt(record.data as Extract<ResourceRecord['data'], { type: 'TXT' }>);
  const parsed = parseSpfRecord(text);
  if (!parsed.ok) {
    result.remarks.push(
      truncatedAt255(record) ??
        remark(
          'spf-syntax',
          'error',
          `The SPF record has a syntax error, so receivers return permerror: ${parsed.error}.`,
        ),
    );
    return result;
  }
  result.remarks.push(...lintRecord(text));
  const dns = spfDnsOver(view);
  const helo = name;
  // The worst case a receiver can spend: every term walked, as for an IP that matches nothing.
  const worst = await checkHost(
    { ip: ctx.egressIps[0] ?? '192.0.2.1', domain: name, sender: `postmaster@${name}`, helo },
    { dns, exhaustive: true },
  );
  result.remarks.push(...limitRemarks(worst));
  if (worst.result === 'permerror' && !limitRemarks(worst).some((r) => r.severity === 'error')) {
    result.remarks.push(remark('spf-permerror', 'error', `Receivers get permerror: ${worst.reason}.`));
  }
  const failures: string[] = [];
  let temp: string | undefined;
  for (const ip of egressAddresses(ctx.egressIps)) {
    const outcome = await checkHost({ ip, domain: name, sender: `postmaster@${name}`, helo }, { dns });
    if (outcome.result === 'temperror') temp ??= outcome.reason;
    else if (outcome.result !== 'pass') failures.push(`${ip} gets ${outcome.result} (${outcome.reason})`);
  }
  if (failures.length > 0)
    result.remarks.push(
      remark(
        'spf-egress-fails',
        'error',
        `senderd's sending address${failures.length > 1 ? 'es do' : ' does'} not pass: ${failures.join('; ')}.${options.expectInclude ? ` Add include:${options.expectInclude} before the "all" term.` : ''}`,
      ),
    );
  if (temp !== undefined)
    result.remarks.push(
      remark('spf-temperror', 'temperror', `The SPF evaluation hit a temporary DNS error: ${temp}.`),
    );
  if (
    failures.length === 0 &&
    temp === undefined &&
    options.expectInclude !== undefined &&
    !includes(worst.steps, options.expectInclude)
  )
    result.remarks.push(
      remark(
        'spf-no-include',
        'warning',
        `The record passes senderd's addresses without include:${options.expectInclude}. The own servers you list in senderd's settings are only covered through that include.`,
      ),
    );
  return result;
}

/**
 * An IPv4 range is represented by its first and last address; a single address, and an IPv6 range, by the
 * address as written.
 */
function egressAddresses(ranges: readonly string[]): string[] {
  return ranges.flatMap((r) => {
    const written = r.split('/')[0]!;
    const range = parseCidr(r);
    if (range === null || range.address.family === 6 || !r.includes('/')) return [written];
    const [first, last] = cidrBounds(range).map(formatIp);
    return first === last ? [first!] : [first!, last!];
  });
}

function includes(steps: readonly SpfStep[], name: string): boolean {
  return steps.some((s) => s.path.includes(name) || s.term.toLowerCase() === `include:${name}`);
}

function lintRecord(text: string): Remark[] {
  const out: Remark[] = [];
  const terms = text.split(' ').filter((t) => t !== '');
  if (terms.some((t) => /^\+?all$/i.test(t)))
    out.push(
      remark(
        'spf-pass-all',
        'error',
        '"+all" lets every server on the internet send as this domain. End with ~all or -all.',
      ),
    );
  if (terms.some((t) => /^[+\-~?]?ptr(:|$)/i.test(t)))
    out.push(
      remark(
        'spf-ptr',
        'warning',
        'The ptr mechanism is slow and unreliable; RFC 7208 §5.5 says it SHOULD NOT be used. Use ip4/ip6 or include instead.',
      ),
    );
  if (/%\{/.test(text))
    out.push(
      remark(
        'spf-macros',
        'note',
        "The record uses macros (RFC 7208 §7); it was evaluated for each of senderd's addresses.",
      ),
    );
  if (terms.some((t) => /^redirect=/i.test(t)))
    out.push(
      remark(
        'spf-redirect',
        'note',
        'The record delegates to another with redirect=; that record was evaluated.',
      ),
    );
  return out;
}

function limitRemarks(worst: SpfOutcome): Remark[] {
  const out: Remark[] = [];
  const lookupSteps = worst.steps.filter((s) => s.lookup);
  const path = lookupSteps
    .map(
      (s) =>
        `${s.lookupsSoFar}. ${s.term}${s.path.length > 1 ? ` (in ${s.path.at(-1)})` : ''}${s.void ? ' [void]' : ''}`,
    )
    .join(', ');
  const loop = /loop/.test(worst.reason) && worst.result === 'permerror';
  if (loop)
    out.push(
      remark('spf-loop', 'error', `The record includes itself: ${worst.reason}. Receivers return permerror.`),
    );
  if (/more than \d+ DNS lookups/.test(worst.reason))
    out.push(
      remark(
        'spf-too-many-lookups',
        'error',
        `A receiver needs more than 10 DNS lookups to evaluate this record, so it returns permerror (RFC 7208 §4.6.4). Remove includes or replace them with ip4/ip6 ranges. Lookups: ${path}.`,
      ),
    );
  else if (/void lookups/.test(worst.reason))
    out.push(
      remark(
        'spf-too-many-void-lookups',
        'error',
        `More than 2 lookups find nothing (void lookups), so receivers return permerror (RFC 7208 §4.6.4). Remove the terms marked [void]: ${path}.`,
      ),
    );
  else if (!loop) {
    if (worst.lookups >= 9)
      out.push(
        remark(
          'spf-near-lookup-limit',
          'warning',
          `The record needs ${worst.lookups} of the 10 DNS lookups receivers allow. Lookups: ${path}.`,
        ),
      );
    else if (worst.lookups > 0)
      out.push(remark('spf-lookups', 'note', `${worst.lookups} of 10 DNS lookups: ${path}.`));
    if (worst.voidLookups > 0)
      out.push(
        remark(
          'spf-void-lookup',
          'warning',
          `${worst.voidLookups} lookup${worst.voidLookups > 1 ? 's find' : ' finds'} nothing (of the 2 allowed, RFC 7208 §4.6.4): ${lookupSteps
            .filter((s) => s.void)
            .map((s) => s.term)
            .join(', ')}.`,
        ),
      );
  }
  return out;
}

function truncatedAt255(record: ResourceRecord): Remark | null {
  if (record.data.type !== 'TXT') return null;
  const strings = record.data.strings;
  if (strings.length === 1 && strings[0]!.length === 255)
    return remark(
      'string-truncated-at-255',
      'error',
      'The SPF record was cut at 255 characters: your DNS host did not split the long value into strings (RFC 1035 §3.3.14, RFC 7208 §3.3). Enter it as several quoted strings, or shorten it.',
    );
  return null;
}
