/**
 * The mail protocol floor: the one home of the Internet Message Format and MIME rules that every capability
 * shares. It imports nothing above `core/`, opens no sockets or files, and answers with data: a problem is a
 * reason (`HeaderFieldProblem`, `AuthorProblem`, `MimeProblem`) that each server turns into its own SMTP reply or
 * report refusal at its edge.
 *
 * | rule | file |
 * |---|---|
 * | header fields: splitting a block, field names (with RFC 5322 §4.5 WSP before the colon), unfolding | header-fields.ts |
 * | one mailbox, strictly (RFC 5322 §3.4); the author's From (§3.6) | mailbox.ts, author.ts |
 * | date-time, written and read (RFC 5322 §3.3) | date-time.ts |
 * | envelope addresses split at the last "@" (RFC 5321 §4.1.2); a report's loosely written address | address.ts |
 * | Content-Type parameters, file names (RFC 2045 §5.1, RFC 2183, RFC 2231) | mime-parameters.ts |
 * | what an entity is from its header (media type, transfer encoding, multipart or message or leaf) | mime-entity.ts |
 * | streaming MIME walk with byte offsets and decoded bodies (RFC 2045, RFC 2046) | mime-parser.ts, mime-event.ts |
 * | the walk's open entities and boundary delimiters (RFC 2046 §5.1.1); its input's lines | mime-frame.ts, line-splitter.ts |
 * | Content-Transfer-Encoding decoders: base64, quoted-printable (RFC 2045 §6) | transfer-encoding.ts |
 * | their encoders, for a part written back as it came (RFC 2045 §6.7, §6.8) | transfer-encoder.ts |
 * | charset labels to text (WHATWG Encoding) | charset.ts |
 * | encoded-words (RFC 2047) | encoded-words.ts |
 * | mbox splitting (RFC 4155) | mbox.ts |
 * | delivery status notifications (RFC 3464) | dsn.ts |
 * | feedback reports (ARF, RFC 5965) | feedback-report.ts |
 * | enhanced status codes (RFC 3463) in replies and diagnostics | enhanced-status.ts |
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

/**
 * MIME (RFC 2045, RFC 2046): `MimeParser` walks a message as it streams, handing out each entity (headers,
 * media type, file name, byte offsets of header and body), its decoded body data, its end, or the limit that
 * stopped it. The parameters, encodings and charsets it uses are usable on their own.
 */
export { MimeParser } from './mime-parser.ts';
export type { MimeEvent, MimeLimits, MimeProblem } from './mime-event.ts';
export type { MimeEntity } from './mime-entity.ts';
export { fileName, parseMediaType, splitParameters } from './mime-parameters.ts';
export type { MediaType } from './mime-parameters.ts';
export { bodyDecoder, decodeQuotedPrintable, isIdentityEncoding } from './transfer-encoding.ts';
export type { BodyDecoder } from './transfer-encoding.ts';
/** The inverse, for a part written back in the encoding it came in (RFC 2045 §6.7, §6.8). */
export {
  encodeBase64,
  encodeBase64Bytes,
  encodeQuotedPrintable,
  encodeQuotedPrintableBytes,
} from './transfer-encoder.ts';
export { charsetDecoder } from './charset.ts';
export type { TextDecoding } from './charset.ts';
export { decodeEncodedWords } from './encoded-words.ts';

/** RFC 4155 mbox files: `MboxSplitter` turns bytes into message starts and message bytes. */
export { MboxSplitter } from './mbox.ts';
export type { MboxEvent } from './mbox.ts';

/** RFC 3464 DSNs: the recipient groups of a delivery-status body, or of the first such part of a message. */
export { parseDeliveryStatus, readDeliveryStatus } from './dsn.ts';
export type { DsnRecipient } from './dsn.ts';

/** RFC 5965 feedback reports (ARF): the report's fields and the original message's header, read within limits. */
export { FeedbackCollector, parseFeedbackFields, readFeedbackReport } from './feedback-report.ts';
export type { FeedbackFields, FeedbackMessage, FeedbackParts, FeedbackProblem } from './feedback-report.ts';

/** RFC 3463 enhanced status codes: where a reply or a DSN diagnostic carries one, and a reply split into codes. */
export { readEnhancedStatus, readReply } from './enhanced-status.ts';
export type { EnhancedStatus, ReadReply } from './enhanced-status.ts';
