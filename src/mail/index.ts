/**
 * The mail protocol floor: the one home of the Internet Message Format and MIME rules that every capability
 * shares. It imports nothing above `core/`, opens no sockets or files, and answers with data: a problem is a
 * reason (`HeaderFieldProblem`, `AuthorProblem`) that each server turns into its own SMTP reply or report refusal
 * at its edge.
 *
 * | rule | file |
 * |---|---|
 * | header fields: splitting a block, field names (with RFC 5322 §4.5 WSP before the colon), unfolding | header-fields.ts |
 * | one mailbox, strictly (RFC 5322 §3.4); the author's From (§3.6) | mailbox.ts, author.ts |
 * | date-time, written and read (RFC 5322 §3.3) | date-time.ts |
 * | envelope addresses split at the last "@" (RFC 5321 §4.1.2); a report's loosely written address | address.ts |
 */

/**
 * RFC 5322 §2.2 header fields. `parseHeaderFields` is strict (every line must belong to a field: what is signed
 * must read the same to every receiver); `readHeaderFields` skips damaged lines (reports arrive in damaged mail).
 * A field keeps its raw bytes; `fieldValue` unfolds it; `headerValue`/`headerValues` look fields up by name.
 */
export {
  fieldValue,
  headerValue,
  headerValues,
  isFieldName,
  parseHeaderFields,
  readHeaderFields,
} from './header-fields.ts';
export type { HeaderField, HeaderFieldProblem } from './header-fields.ts';

/** RFC 5322 §3.4 mailboxes, strictly: `parseMailbox` takes a field body holding exactly one. */
export { parseMailbox } from './mailbox.ts';
export type { Mailbox } from './mailbox.ts';

/** The author: exactly one From field holding exactly one mailbox, or the problem (RFC 5322 §3.6, §3.6.2). */
export { authorMailbox } from './author.ts';
export type { AuthorProblem } from './author.ts';

/** RFC 5322 §3.3 date-time: `formatDateTime` writes one in UTC; `parseDateTime` reads what others write. */
export { formatDateTime, parseDateTime } from './date-time.ts';

/** `splitAddress`: an envelope address's local part and domain (RFC 5321 §4.1.2); `domainOfAddress`: lenient. */
export { domainOfAddress, splitAddress } from './address.ts';
export type { AddressParts } from './address.ts';
