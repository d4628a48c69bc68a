import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import { normaliseDomainName, type DomainName, type DomainNameRejection } from '../domain-name/index.ts';
import { parseMailbox } from './mailbox.ts';
import type { SmtpReply } from './smtp-reply.ts';

/** One header field as it appears in the message (RFC 5322 §2.2), folded lines and final CRLF included. */
export interface HeaderField {
  /** The field name in lower case, for matching (field names are case-insensitive). */
  readonly key: string;
  /** The whole field, `Name: value\r\n` with any folding, exactly as received. */
  readonly raw: string;
}

/** RFC 5322 §3.6.8: a field name is printable US-ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

const contentError = (text: string): SmtpReply => ({ code: 554, enhanced: '5.6.0', text });

/** Splits a CRLF-only, 7-bit header block into fields. Continuation lines start with WSP (RFC 5322 §2.2.3). */
export function parseHeaderFields(header: string): Result<HeaderField[], SmtpReply> {
  const fields: HeaderField[] = [];
  const lines = header.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let current: string[] | undefined;
  let key = '';
  const flush = () => {
    if (current !== undefined) fields.push({ key, raw: current.join('\r\n') + '\r\n' });
  };
  for (const [i, line] of lines.entries()) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined)
        return err(contentError(`Header line ${i + 1} is a continuation with no field before it.`));
      current.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    // RFC 5322 §4.5 (obs-optional and the other obs- fields): WSP may stand between the name and the colon
    // (`Subject : hi`). It is not part of the name; relaxed DKIM canonicalisation deletes it too (RFC 6376 §3.4.2),
    // and the field's raw bytes are kept as they came for everything else.
    const name = colon < 0 ? '' : line.slice(0, colon).replace(/[ \t]+$/, '');
    if (!FIELD_NAME.test(name)) {
      return err(contentError(`Header line ${i + 1} is not a header field ("name: value", RFC 5322 §2.2).`));
    }
    flush();
    current = [line];
    key = name.toLowerCase();
  }
  flush();
  return ok(fields);
}

/**
 * The header without any Return-Path field the client put in: RFC 5321 §4.4 has the delivering (final) SMTP
 * server add Return-Path from the envelope; a relay SHOULD NOT send one, and a client's would claim an envelope
 * sender the message never had. The other fields keep their bytes and order.
 */
export function withoutReturnPath(
  header: string,
  fields: readonly HeaderField[],
): { header: string; fields: readonly HeaderField[] } {
  if (!fields.some((f) => f.key === 'return-path')) return { header, fields };
  const kept = fields.filter((f) => f.key !== 'return-path');
  return { header: kept.map((f) => f.raw).join(''), fields: kept };
}

/** The unfolded value of a field: everything after the first colon, with line folds removed. */
export function fieldValue(field: HeaderField): string {
  return field.raw
    .slice(field.raw.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .trim();
}

export interface FromAddress {
  readonly address: string;
  readonly domain: DomainName;
}

/**
 * RFC 5322 §3.6.2 lets From hold a list of mailboxes (with a Sender field); the gateway signs for exactly one
 * author, so it requires exactly one From field holding exactly one mailbox, parsed strictly (mailbox.ts: no
 * route, group, list or leftover text that a lenient parser and a mail reader could read differently), whose
 * domain is a valid name.
 */
export function authorOf(fields: readonly HeaderField[]): Result<FromAddress, SmtpReply> {
  const from = fields.filter((f) => f.key === 'from');
  if (from.length === 0)
    return err(contentError('The message has no From: header field; RFC 5322 §3.6 requires one.'));
  if (from.length > 1)
    return err(contentError(`The message has ${from.length} From: header fields; RFC 5322 §3.6 allows one.`));
  const body = fieldValue(from[0]!);
  const mailbox = parseMailbox(body);
  if (!mailbox.ok) {
    return err(
      contentError(
        `The From: header field is not exactly one mailbox (RFC 5322 §3.4): ${mailbox.error} in "${excerpt(body)}".`,
      ),
    );
  }
  const { localPart, domain: written } = mailbox.value;
  const domain = normalisedDomain(written);
  if (!domain.ok) {
    return err(
      contentError(`The From: header field's domain "${excerpt(written)}" is not a valid domain name.`),
    );
  }
  return ok({ address: `${localPart}@${domain.value}`, domain: domain.value });
}

/** At most 100 characters of client text, for a reply. */
function excerpt(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/**
 * normaliseDomainName (IDNA mapping, label checks) remembered per spelling: a gateway sees the same few author
 * domains over and over. The function is pure, so a remembered answer is the answer.
 */
const normalised = new Map<string, Result<DomainName, DomainNameRejection>>();
function normalisedDomain(name: string): Result<DomainName, DomainNameRejection> {
  let result = normalised.get(name);
  if (result === undefined) {
    if (normalised.size >= 4096) normalised.clear();
    result = normaliseDomainName(name);
    normalised.set(name, result);
  }
  return result;
}
