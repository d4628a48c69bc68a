import { oneLevelBelow, type Disposition } from './ladder.ts';

/**
 * How a receiver reads a DMARC record, under each specification. Used to check that every rollout step means
 * what it should to both generations of receivers, and by diagnostics.
 */
export interface DmarcTags {
  readonly tags: ReadonlyMap<string, string>;
  /** Tags this reading does not know, which it must ignore (RFC 7489 §6.3, RFC 9989 §4.7). */
  readonly unknown: readonly string[];
}

const KNOWN_7489 = new Set(['v', 'p', 'sp', 'adkim', 'aspf', 'pct', 'rua', 'ruf', 'fo', 'rf', 'ri']);
const KNOWN_9989 = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 't', 'psd', 'rua', 'ruf', 'fo']);
const REQUEST = new Set(['none', 'quarantine', 'reject']);

/**
 * Splits `tag=value` pairs. RFC 9989 §4.7 ABNF: `dmarc-sep = *WSP ";" *WSP`, `equals = *WSP "=" *WSP`, tag names
 * are ALPHA, and `v` must come first with the case-sensitive value `DMARC1`; otherwise the record is not DMARC.
 */
export function parseDmarcTags(record: string, reading: 'rfc7489' | 'rfc9989'): DmarcTags | null {
  const parts = record.split(';').map((p) => p.trim());
  if (parts[parts.length - 1] === '') parts.pop(); // a trailing ";" is allowed
  const tags = new Map<string, string>();
  const unknown: string[] = [];
  for (const [i, part] of parts.entries()) {
    const m = /^([A-Za-z]+)[ \t]*=[ \t]*(.*)$/.exec(part);
    if (m === null) {
      if (i === 0) return null;
      continue; // a malformed tag is discarded (RFC 9989 §4.7 "Syntax errors ... MUST be discarded")
    }
    const name = m[1]!.toLowerCase();
    if (i === 0 && (name !== 'v' || m[2] !== 'DMARC1')) return null;
    if (tags.has(name)) continue; // first occurrence wins
    if (!(reading === 'rfc7489' ? KNOWN_7489 : KNOWN_9989).has(name)) unknown.push(name);
    tags.set(name, m[2]!);
  }
  return { tags, unknown };
}

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
  const parsed = parseDmarcTags(record, reading);
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
