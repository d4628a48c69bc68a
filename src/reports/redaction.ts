/**
 * Redaction of personal data in failure reports, applied before anything is stored (RFC 6591 §7 and RFC 9991
 * warn that failure reports carry personal data; GDPR says keep no more than needed). An address keeps its
 * domain, which is what diagnosis needs, and loses its local part; message bodies and subjects are never kept.
 */
import { fieldValue, type HeaderField } from '../mail/index.ts';

/**
 * `user@example.com` → `[redacted]@example.com`, anywhere in a header value or field. The local part may be a
 * quoted string (RFC 5322 §3.4.1: `"john smith"@example.com`), and the domain a single label (`bob@localhost`) or
 * an address literal: redaction errs on the side of removing too much.
 */
const ADDRESS =
  /(?:"(?:[^"\\\r\n]|\\.)*"|(?<![\w.+-])[^\s<>"'(),;:@[\]=]+)@((?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+|\[[^\]\s]+\])/g;

export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '[redacted]@$1');
}

/**
 * A display name (RFC 5322 §3.4 `name-addr`: the phrase before `<`, quoted or not) and comments (`(John Smith)`)
 * name a person as surely as a local part does; in address fields they are replaced as well.
 */
const DISPLAY_NAME = /(^|,)\s*((?:"(?:[^"\\]|\\.)*"|[^",<])*?)\s*</g;
const COMMENT = /\((?:[^()\\]|\\.)*\)/g;
const ADDRESS_FIELDS = new Set(['from', 'sender', 'return-path']);

export function redactAddressField(value: string): string {
  return redactAddresses(
    value.replace(COMMENT, '([redacted])').replace(DISPLAY_NAME, (_m, sep: string, phrase: string) => {
      const before = sep === ',' ? ', ' : '';
      return phrase.trim() === '' ? `${before}<` : `${before}[redacted] <`;
    }),
  );
}

/**
 * Header fields of the original message that help diagnose authentication, and nothing else: no Subject, no
 * To or Cc, no content headers. Their addresses are redacted.
 */
export const KEPT_ORIGINAL_HEADERS = new Set([
  'from',
  'sender',
  'date',
  'message-id',
  'return-path',
  'received',
  'authentication-results',
  'arc-authentication-results',
  'received-spf',
  'dkim-signature',
  'list-id',
]);

export function redactHeaders(
  fields: readonly HeaderField[],
  maxFields = 64,
): Array<readonly [string, string]> {
  return fields
    .filter((f) => KEPT_ORIGINAL_HEADERS.has(f.name))
    .slice(0, maxFields)
    .map((f) => {
      const value = fieldValue(f);
      const redacted = ADDRESS_FIELDS.has(f.name) ? redactAddressField(value) : redactAddresses(value);
      return [f.name, redacted.slice(0, 4000)] as const;
    });
}
