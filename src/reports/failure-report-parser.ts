/**
 * Failure (forensic) reports: ARF (RFC 5965 §3) with the authentication-failure extension (RFC 6591 §3) and the
 * DMARC fields (RFC 7489 §7.3, RFC 9991), plus the plain-text reports some MTAs (Exim) send with no ARF part.
 * Everything is redacted here, on arrival: the result holds no local part, no body and no subject.
 */
import { normaliseIp } from '../ip/index.ts';
import {
  domainOfAddress,
  headerValue,
  headerValues,
  parseDateTime,
  readHeaderFields,
  type HeaderField,
} from '../mail/index.ts';
import type { FailureReport } from './model.ts';
import { redactAddresses, redactHeaders } from './redaction.ts';

/** What the MIME walk collected for a possible failure report. Transient: never stored as such. */
export interface FailureEvidence {
  /** The top-level message's header fields (its From names the reporter). */
  readonly message: readonly HeaderField[];
  /** The text of the message/feedback-report part, if there was one. */
  readonly feedbackReport: string | null;
  /** The original message's header fields (text/rfc822-headers, or the headers of the message/rfc822 part). */
  readonly originalHeaders: readonly HeaderField[] | null;
  /** The first text/plain part outside the original message, for reports without an ARF part. */
  readonly plainText: string | null;
}

function dateIso(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return parseDateTime(value)?.toISOString() ?? null;
}

function ipOf(value: string | undefined): ReturnType<typeof normaliseIp> {
  if (value === undefined) return null;
  return normaliseIp(value.trim().split(/[\s(]/)[0] ?? '');
}

const short = (v: string | undefined, max = 255) =>
  v === undefined || v.trim() === '' ? null : v.trim().slice(0, max);

/** Parses a failure report from its evidence; null if the evidence shows none. */
export function parseFailureReport(evidence: FailureEvidence): FailureReport | null {
  const reporter = domainOfAddress(headerValue(evidence.message, 'from')) ?? 'unknown';
  if (evidence.feedbackReport !== null) return fromArf(evidence, reporter);
  if (evidence.plainText !== null) return fromPlainText(evidence.plainText, reporter);
  return null;
}

function fromArf(evidence: FailureEvidence, reporter: string): FailureReport {
  const f = readHeaderFields(evidence.feedbackReport!);
  const original = evidence.originalHeaders;
  const fromHeader = original === null ? undefined : headerValue(original, 'from');
  const dkimIdentity = headerValue(f, 'dkim-identity');
  return {
    feedbackType: (headerValue(f, 'feedback-type') ?? 'unknown').trim().toLowerCase().slice(0, 64),
    authFailure: headerValues(f, 'auth-failure').map((v) => v.trim().toLowerCase().slice(0, 32)),
    sourceIp: ipOf(headerValue(f, 'source-ip')),
    reportedDomain: headerValues(f, 'reported-domain')
      .map((d) => domainOfAddress(d))
      .filter((d) => d !== null),
    originalMailFromDomain: domainOfAddress(headerValue(f, 'original-mail-from')),
    originalRcptToDomain: domainOfAddress(headerValue(f, 'original-rcpt-to')),
    arrivalDate: dateIso(headerValue(f, 'arrival-date') ?? headerValue(f, 'received-date')),
    reportingMta: short(headerValue(f, 'reporting-mta')),
    userAgent: short(headerValue(f, 'user-agent')),
    deliveryResult: short(headerValue(f, 'delivery-result'), 32)?.toLowerCase() ?? null,
    identityAlignment: short(headerValue(f, 'identity-alignment'), 64)?.toLowerCase() ?? null,
    dkimDomain: domainOfAddress(headerValue(f, 'dkim-domain')),
    dkimSelector: short(headerValue(f, 'dkim-selector'), 63),
    dkimIdentityDomain: domainOfAddress(dkimIdentity),
    spfDns: short(headerValue(f, 'spf-dns'), 2000),
    authenticationResults: headerValues(f, 'authentication-results').map((v) =>
      redactAddresses(v).slice(0, 2000),
    ),
    originalHeaders: original === null ? [] : redactHeaders(original),
    originalFromDomain: domainOfAddress(fromHeader),
    reporter,
  };
}

/** Exim and others: "Sender Domain:", "Sender IP Address:", then a copy of the headers. */
function fromPlainText(text: string, reporter: string): FailureReport | null {
  const line = (label: string) => new RegExp(`^\\s*${label}:[ \\t]*(.+)$`, 'mi').exec(text)?.[1]?.trim();
  const ip = line('Sender IP Address');
  const domain = line('Sender Domain');
  if (ip === undefined || domain === undefined) return null;
  const copy = /^-+ This is a copy of the headers.*$/im.exec(text);
  const original =
    copy === null ? null : readHeaderFields(text.slice(copy.index + copy[0].length).replace(/^\s*\n/, ''));
  const yes = (label: string) => /^(yes|pass|true)/i.test(line(label) ?? '');
  const alignment = [yes('DKIM Alignment') ? 'dkim' : null, yes('SPF Alignment') ? 'spf' : null].filter(
    Boolean,
  );
  return {
    feedbackType: 'auth-failure',
    authFailure: ['dmarc'],
    sourceIp: ipOf(ip),
    reportedDomain: [domainOfAddress(domain)].filter((d) => d !== null),
    originalMailFromDomain: null,
    originalRcptToDomain: null,
    arrivalDate: dateIso(line('Received date')),
    reportingMta: null,
    userAgent: null,
    deliveryResult: null,
    identityAlignment: alignment.length === 0 ? 'none' : alignment.join(','),
    dkimDomain: null,
    dkimSelector: null,
    dkimIdentityDomain: null,
    spfDns: null,
    authenticationResults:
      original === null ? [] : headerValues(original, 'authentication-results').map(redactAddresses),
    originalHeaders: original === null ? [] : redactHeaders(original),
    originalFromDomain: original === null ? null : domainOfAddress(headerValue(original, 'from')),
    reporter,
  };
}
