/**
 * An SMTP reply as data: the basic code (RFC 5321 §4.2), the enhanced status code (RFC 3463) and a sentence for a
 * person. Every refusal the gateway makes is one of these; the listener turns it into wire format in one place.
 */
export interface SmtpReply {
  readonly code: number;
  readonly enhanced: string;
  readonly text: string;
}

/** `554 5.6.0 text`, as it goes on the wire (without the CRLF). */
export function formatReply(reply: SmtpReply): string {
  return `${reply.code} ${reply.enhanced} ${reply.text}`;
}

/** The class of a reply code: 2 success, 4 transient failure, 5 permanent failure (RFC 5321 §4.2.1). */
export function replyClass(code: number): 2 | 3 | 4 | 5 {
  const c = Math.floor(code / 100);
  return c === 2 || c === 3 || c === 4 ? c : 5;
}
