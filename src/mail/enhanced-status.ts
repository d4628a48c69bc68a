/**
 * Enhanced mail system status codes (RFC 3463) as receivers write them: in front of a reply's text (RFC 2034 §4),
 * after the basic code of a DSN's Diagnostic-Code (RFC 3464 §2.3.6), or somewhere in the text of a server that
 * puts its own tag first. What a code means to the sender (a hard or soft bounce) is the caller's business.
 */

export interface EnhancedStatus {
  /** `class.subject.detail`, e.g. "5.7.515". */
  readonly code: string;
  /** RFC 3463 §3.1: 2 success, 4 persistent transient failure, 5 permanent failure. */
  readonly class: 2 | 4 | 5;
  readonly subject: number;
  readonly detail: number;
}

/** A reply read from its text: the basic code (RFC 5321 §4.2) and the enhanced code when present. */
export interface ReadReply {
  readonly code: number | null;
  readonly status: string | null;
  /** The text after the codes. */
  readonly text: string;
}

// RFC 3463 §2: status-code = class "." subject "." detail; class = "2"/"4"/"5"; subject, detail = 1*3digit.
const IN_FRONT = /^([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/;
// Elsewhere in the text only the subjects RFC 3463 §3 defines (0 to 7) count, so a version number ("Exim
// 4.96.2") or the end of an IPv4 address ("[192.0.2.4]", which the look-behind refuses) is not read as one.
const ANYWHERE = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?![\d.])/;
const DIAGNOSTIC_TYPE = /^\s*[A-Za-z][\w-]*;\s*/;
const BASIC_CODE = /^([2-5]\d\d)(?:[ -]|$)\s*/;

/** The enhanced status code a reply or diagnostic carries, or null when it has none. */
export function readEnhancedStatus(text: string): EnhancedStatus | null {
  const rest = text.replace(DIAGNOSTIC_TYPE, '').replace(BASIC_CODE, '');
  const m = IN_FRONT.exec(rest) ?? ANYWHERE.exec(rest);
  if (m === null) return null;
  return {
    code: `${m[1]}.${Number(m[2])}.${Number(m[3])}`,
    class: Number(m[1]) as 2 | 4 | 5,
    subject: Number(m[2]),
    detail: Number(m[3]),
  };
}

/**
 * A reply as one line of text (`550-5.1.1 ...` of a joined multi-line reply, or a DSN's `smtp; 550 5.1.1 ...`)
 * split into its basic code, its enhanced code (in front only) and its text.
 */
export function readReply(text: string): ReadReply {
  let rest = text.replace(DIAGNOSTIC_TYPE, '');
  const basic = BASIC_CODE.exec(rest);
  if (basic !== null) rest = rest.slice(basic[0].length);
  const enhanced = IN_FRONT.exec(rest);
  if (enhanced !== null) rest = rest.slice(enhanced[0].length).trimStart();
  return {
    code: basic === null ? null : Number(basic[1]),
    status: enhanced === null ? null : `${enhanced[1]}.${Number(enhanced[2])}.${Number(enhanced[3])}`,
    text: rest.trim(),
  };
}
