/** Facts derived from a report's header: who the reporter is, which day it counts for, its dedup key. */
import { createHash } from 'node:crypto';
import { domainOfAddress } from '../mail/index.ts';

/**
 * The reporter, as one key: the org_name in lower case ("Outlook.com" and "outlook.com" are one reporter), or,
 * when org_name is empty (some reporters leave it so), the domain of the report's e-mail address.
 */
export function reporterKey(orgName: string, email: string | null): string {
  const org = orgName.trim().toLowerCase().replace(/\.$/, '');
  if (org !== '') return org.slice(0, 255);
  return domainOfAddress(email) ?? 'unknown';
}

/**
 * The UTC day a report counts for: the middle of its date range. RFC 7489 §7.2 asks for ranges aligned to UTC
 * days, but many reporters use their local midnight; the middle still falls on the intended day.
 */
export function reportDay(beginSeconds: number, endSeconds: number): string {
  return new Date(Math.floor((beginSeconds + endSeconds) / 2) * 1000).toISOString().slice(0, 10);
}

export function isoSeconds(seconds: number): string {
  const ms = Math.min(Math.max(seconds, 0), 253402300799) * 1000;
  return new Date(ms).toISOString();
}

/** The deduplication key: (reporter, report id, policy domain, date range). */
/** A failure report has no report id (RFC 6591 §3): the same report is the same parsed content. */
export function failureDedupKey(report: unknown): string {
  return createHash('sha256').update(JSON.stringify(report)).digest('hex');
}

export function dedupKey(
  reporter: string,
  reportId: string,
  policyDomain: string,
  begin: number,
  end: number,
): string {
  return createHash('sha256')
    .update(JSON.stringify([reporter, reportId, policyDomain, begin, end]))
    .digest('hex');
}
