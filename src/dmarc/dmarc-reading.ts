import { parseDmarcRecord } from './dmarc-record.ts';
import { oneLevelBelow, type Disposition } from './ladder.ts';

/**
 * How a receiver reads a DMARC record, under each specification. Used to check that every rollout step means
 * what it should to both generations of receivers, and by diagnostics.
 */

const REQUEST = new Set(['none', 'quarantine', 'reject']);

export interface AppliedPolicy {
  /** The policy as published in `p=`. */
  readonly published: Disposition;
  /** What the receiver applies to failing mail it selects (all of it under RFC 9989). */
  readonly applied: Disposition;
  /** RFC 7489 only: the share selected by pct, 0–100; the rest get one level below. */
  readonly percent: number;
  readonly testMode: boolean;
}

/** The treatment of failing mail from the organisational domain itself, under one reading. */
export function appliedPolicy(record: string, reading: 'rfc7489' | 'rfc9989'): AppliedPolicy | null {
  // A part that is not a tag is discarded and the first of a repeated tag kept (RFC 9989 §4.7); pct, rf and ri
  // are read by RFC 7489 receivers only, t by RFC 9989 receivers only.
  const parsed = parseDmarcRecord(record).record;
  if (parsed === null) return null;
  const p = (parsed.tags.get('p') ?? '').toLowerCase();
  if (!REQUEST.has(p)) return null;
  const published = p as Disposition;
  if (reading === 'rfc7489') {
    const pctText = parsed.tags.get('pct');
    const pct = pctText !== undefined && /^\d{1,3}$/.test(pctText) ? Math.min(100, Number(pctText)) : 100;
    return { published, applied: published, percent: pct, testMode: false };
  }
  // RFC 9989 §4.7: t=y asks for the policy one level below; t has no effect on "none"; invalid values mean "n".
  const testMode = (parsed.tags.get('t') ?? 'n').toLowerCase() === 'y';
  return { published, applied: testMode ? oneLevelBelow(published) : published, percent: 100, testMode };
}
