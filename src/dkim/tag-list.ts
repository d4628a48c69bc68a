import { err, ok, type Result } from '../core/index.ts';

/**
 * The tag=value list of RFC 6376 §3.2, the syntax of DKIM key records (§3.6.1) and DKIM-Signature fields (§3.5):
 * the one parser for it in senderd. A list either parses whole or not at all; the reason it does not is data, so
 * a caller can say which tag is wrong ("duplicate tag p=") instead of "invalid".
 *
 *     tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 *     tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *     tag-name  =  ALPHA *ALNUMPUNC
 *     tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 *     tval      =  1*VALCHAR          VALCHAR = %x21-3A / %x3C-7E
 */

/** Tags in the order written. Names are case-sensitive (§3.2), so `P=` is not `p=`. */
export type TagList = ReadonlyMap<string, string>;

export type TagListFault =
  /** Nothing but whitespace: a tag-list holds at least one tag-spec. */
  | { readonly fault: 'empty' }
  /** A tag-spec without "=" (or an empty one, between two ";"). `spec` is as written, whitespace trimmed. */
  | { readonly fault: 'not-a-tag'; readonly spec: string }
  /** A name that is not ALPHA *(ALPHA / DIGIT / "_"), such as `x-y` or `1x` (or no name at all). */
  | { readonly fault: 'bad-tag-name'; readonly name: string }
  /** A value with a character outside VALCHAR (a control character, 8-bit byte) or a line break that does not fold. */
  | { readonly fault: 'bad-value'; readonly tag: string }
  /** §3.2: "if a tag name does occur more than once, the entire tag-list is invalid". */
  | { readonly fault: 'duplicate-tag'; readonly tag: string };

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const TAG_VALUE = /^(?:[\x21-\x3a\x3c-\x7e]+(?:(?:[ \t]|\r\n[ \t])+[\x21-\x3a\x3c-\x7e]+)*)?$/;

/**
 * Parses a tag-list. WSP (and folding) around names, "=" and ";" is not part of a name or value; WSP inside a
 * value is (§3.2), and is left for the tag's own rule (p= allows FWS inside base64, §3.6.1). A trailing ";" is
 * allowed, and so is whitespace after it, as around every tag. Unknown tags are kept: ignoring them is the
 * reader's part (§3.6.1 "Unrecognized tags MUST be ignored").
 */
export function parseTagList(text: string): Result<TagList, TagListFault> {
  const specs = text.split(';');
  if (specs.length > 1 && trimFws(specs.at(-1)!) === '') specs.pop();
  if (specs.length === 1 && trimFws(specs[0]!) === '') return err({ fault: 'empty' });
  const tags = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) return err({ fault: 'not-a-tag', spec: trimFws(spec) });
    const name = trimFws(spec.slice(0, eq));
    if (!TAG_NAME.test(name)) return err({ fault: 'bad-tag-name', name });
    const value = trimFws(spec.slice(eq + 1));
    if (!TAG_VALUE.test(value)) return err({ fault: 'bad-value', tag: name });
    if (tags.has(name)) return err({ fault: 'duplicate-tag', tag: name });
    tags.set(name, value);
  }
  return ok(tags);
}

/** A sentence for a fault, naming the tag ("The tag p= appears twice"), for remarks and refusals. */
export function describeTagListFault(fault: TagListFault): string {
  switch (fault.fault) {
    case 'empty':
      return 'The record is empty.';
    case 'not-a-tag':
      return fault.spec === ''
        ? 'There is an empty tag between two ";".'
        : `"${fault.spec.slice(0, 40)}" is not a tag=value pair.`;
    case 'bad-tag-name':
      return fault.name === ''
        ? 'A tag has no name before its "=".'
        : `"${fault.name.slice(0, 40)}" is not a tag name (a letter, then letters, digits or "_").`;
    case 'bad-value':
      return `The value of ${fault.tag}= holds a character a tag value cannot (a control character, a non-ASCII byte or a line break).`;
    case 'duplicate-tag':
      return `The tag ${fault.tag}= appears twice.`;
  }
}

/**
 * The text without FWS at either end: WSP, and CRLFs that fold (RFC 6376 §2.8: `FWS = [*WSP CRLF] 1*WSP`). A loop,
 * not a regular expression: an anchored-at-the-end pattern backtracks quadratically on a long run of spaces, and
 * the text is a TXT record anyone can publish.
 */
function trimFws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end) {
    if (isWsp(text.charCodeAt(start))) start++;
    else if (isFold(text, start)) start += 2;
    else break;
  }
  while (end > start) {
    if (isWsp(text.charCodeAt(end - 1))) end--;
    else if (end >= 2 && isFold(text, end - 2)) end -= 2;
    else break;
  }
  return text.slice(start, end);
}

/** A CRLF at `i` that WSP follows. */
function isFold(text: string, i: number): boolean {
  return text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 && isWsp(text.charCodeAt(i + 2));
}

function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}
