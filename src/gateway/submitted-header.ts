/**
 * The gateway's rules for the header a client submits, and the replies that refuse it: every line must be part
 * of a field, a client's Return-Path goes, and there must be exactly one author whose domain is a valid name. The
 * field and mailbox grammar is mail/'s; this file turns its problems into 554 5.6.0 replies.
 */
import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import { normaliseDomainName, type DomainName, type DomainNameRejection } from '../domain-name/index.ts';
import { authorMailbox, parseHeaderFields, type HeaderField } from '../mail/index.ts';
import type { SmtpReply } from './smtp-reply.ts';

const contentError = (text: string): SmtpReply => ({ code: 554, enhanced: '5.6.0', text });

/** The fields of a submitted header (CRLF-only, 7-bit: message-bytes.ts checked it), or the reply refusing it. */
export function submittedFields(header: string): Result<HeaderField[], SmtpReply> {
  const parsed = parseHeaderFields(header);
  if (parsed.ok) return parsed;
  const { problem, line } = parsed.error;
  switch (problem) {
    case 'continuation-first':
      return err(contentError(`Header line ${line} is a continuation with no field before it.`));
    case 'not-a-field':
      return err(contentError(`Header line ${line} is not a header field ("name: value", RFC 5322 §2.2).`));
  }
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
  if (!fields.some((f) => f.name === 'return-path')) return { header, fields };
  const kept = fields.filter((f) => f.name !== 'return-path');
  return { header: kept.map((f) => f.raw).join(''), fields: kept };
}

export interface FromAddress {
  readonly address: string;
  readonly domain: DomainName;
}

/**
 * The gateway signs for exactly one author: one From field holding one mailbox, parsed strictly (no route, group,
 * list or leftover text that a lenient parser and a mail reader could read differently), whose domain is a valid
 * name.
 */
export function authorOf(fields: readonly HeaderField[]): Result<FromAddress, SmtpReply> {
  const mailbox = authorMailbox(fields);
  if (!mailbox.ok) {
    const problem = mailbox.error;
    switch (problem.problem) {
      case 'no-from':
        return err(contentError('The message has no From: header field; RFC 5322 §3.6 requires one.'));
      case 'several-from':
        return err(
          contentError(`The message has ${problem.count} From: header fields; RFC 5322 §3.6 allows one.`),
        );
      case 'not-one-mailbox':
        return err(
          contentError(
            `The From: header field is not exactly one mailbox (RFC 5322 §3.4): ${problem.detail} in "${excerpt(problem.body)}".`,
          ),
        );
    }
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
