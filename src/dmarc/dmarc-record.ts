import { stepAt, type Disposition } from './ladder.ts';

/**
 * The DMARC record both ways: the text senderd publishes for a policy, and the parser every reader of a record
 * uses (the checks, the receiver readings of each rollout step).
 */

/** A domain's DMARC policy as senderd publishes it in the hosted `_dmarc` record. */
export interface DmarcPolicy {
  /** The ladder step (0–12). */
  readonly step: number;
  /** `sp=`: policy for existing subdomains; absent means "as p". */
  readonly sp?: Disposition;
  /** `np=`: policy for non-existent subdomains (RFC 9989 §4.7; ignored by RFC 7489 receivers). */
  readonly np?: Disposition;
  readonly adkim: 'r' | 's';
  readonly aspf: 'r' | 's';
  /** `fo=`; only meaningful with ruf. */
  readonly fo?: '0' | '1' | 'd' | 's';
  /** Third-party aggregate report addresses, each authorised before it is published. */
  readonly extraRua: readonly string[];
  /** Failure report addresses: only on request (they carry personal data). */
  readonly ruf: readonly string[];
  /** BIMI logo and certificate; published only while the policy is enforced. */
  readonly bimi?: { readonly location: string; readonly authority?: string };
}

export const DEFAULT_POLICY: DmarcPolicy = { step: 0, adkim: 'r', aspf: 'r', extraRua: [], ruf: [] };

/**
 * The record text for a policy. Tag order: `v` first (RFC 7489 §6.4, RFC 9989 §4.7 "MUST be the first tag"), then
 * `p`, which RFC 7489 requires right after it; the rest in a fixed, readable order so the record is stable.
 */
export function buildDmarcRecord(policy: DmarcPolicy, platformRua: string): string {
  const step = stepAt(policy.step);
  const tags: string[] = ['v=DMARC1', `p=${step.p}`];
  if (policy.sp !== undefined) tags.push(`sp=${policy.sp}`);
  if (policy.np !== undefined) tags.push(`np=${policy.np}`);
  if (policy.adkim !== 'r') tags.push(`adkim=${policy.adkim}`);
  if (policy.aspf !== 'r') tags.push(`aspf=${policy.aspf}`);
  if (step.pct !== undefined) tags.push(`pct=${step.pct}`);
  if (step.t !== undefined) tags.push(`t=${step.t}`);
  tags.push(`rua=${[platformRua, ...policy.extraRua].map(encodeUri).join(',')}`);
  if (policy.ruf.length > 0) {
    tags.push(`ruf=${policy.ruf.map(encodeUri).join(',')}`);
    if (policy.fo !== undefined) tags.push(`fo=${policy.fo}`);
  }
  return tags.join('; ');
}

/**
 * RFC 7489 §6.4 / RFC 9989 §4.7: commas and exclamation points inside a URI must be percent-encoded, since they
 * separate URIs and introduce a size limit. Semicolons would end the tag.
 */
function encodeUri(uri: string): string {
  const scheme = /^mailto:/i.test(uri) ? uri : `mailto:${uri}`;
  return scheme.replace(/[,!;]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A DMARC record as a receiver reads it (RFC 7489 §6.3/§6.4 and RFC 9989's grammar): the one parser for DMARC
 * records in senderd. Names are lower-cased (ABNF strings are case-insensitive); the value of `v` is not.
 */
export interface DmarcRecord {
  /** The tags in the order written; the first of a repeated tag is the one kept. */
  readonly tags: ReadonlyMap<string, string>;
  readonly rua: readonly DmarcUri[];
  readonly ruf: readonly DmarcUri[];
}

export interface DmarcUri {
  readonly uri: string;
  /** The mailbox's domain for mailto: URIs, lower case, no trailing dot; null for others. */
  readonly domain: string | null;
}

/** Something wrong with a record, as data: checks/ turns each into a remark of its own. */
export type DmarcFault =
  /** A part between ";" that is not `tag=value`. RFC 9989 §4.7: receivers discard it. */
  | { readonly kind: 'not-a-tag'; readonly text: string }
  /** The record does not begin with `v=DMARC1`, so it is no DMARC record at all. */
  | { readonly kind: 'no-version' }
  | { readonly kind: 'duplicate-tag'; readonly tag: string }
  /** Neither RFC 7489 nor RFC 9989 defines the tag; receivers ignore it (RFC 7489 §6.3). */
  | { readonly kind: 'unknown-tag'; readonly tag: string }
  | { readonly kind: 'bad-value'; readonly tag: string; readonly value: string; readonly expected: string }
  /** A tag RFC 9989 removed (pct, rf, ri): RFC 7489 receivers still read it, RFC 9989 receivers ignore it. */
  | { readonly kind: 'legacy-tag'; readonly tag: string }
  /** No `p=`: receivers apply p=none (RFC 7489 §6.6.3). */
  | { readonly kind: 'no-policy' }
  | { readonly kind: 'bad-uri'; readonly tag: 'rua' | 'ruf'; readonly uri: string };

export interface ParsedDmarcRecord {
  /** Null when the record does not begin with `v=DMARC1`; otherwise what a receiver reads from it. */
  readonly record: DmarcRecord | null;
  /** Every fault, in the order of the text: parts first, then tags, then the report URIs. */
  readonly faults: readonly DmarcFault[];
}

interface TagRule {
  readonly test: (value: string) => boolean;
  /** What the value must be, for a person. */
  readonly expected: string;
  /** Which specification defines the tag. */
  readonly in: 'both' | 'rfc7489' | 'rfc9989';
}

const POLICY = /^(none|quarantine|reject)$/;
const ANY = () => true;
const policy = (spec: TagRule['in']): TagRule => ({
  test: (v) => POLICY.test(v),
  expected: 'none, quarantine or reject',
  in: spec,
});
/** Every tag either RFC defines. A Map: a tag named `constructor` must not find Object's. */
const TAGS = new Map<string, TagRule>([
  ['v', { test: ANY, expected: '', in: 'both' }],
  ['p', policy('both')],
  ['sp', policy('both')],
  ['np', policy('rfc9989')],
  ['adkim', { test: (v) => /^[rs]$/.test(v), expected: 'r or s', in: 'both' }],
  ['aspf', { test: (v) => /^[rs]$/.test(v), expected: 'r or s', in: 'both' }],
  [
    'fo',
    {
      test: (v) => /^[01ds](:[01ds])*$/.test(v),
      expected: 'a colon-separated list of 0, 1, d and s',
      in: 'both',
    },
  ],
  [
    'pct',
    {
      test: (v) => /^\d{1,3}$/.test(v) && Number(v) <= 100,
      expected: 'a whole number from 0 to 100',
      in: 'rfc7489',
    },
  ],
  [
    'rf',
    {
      test: (v) => /^[a-z0-9-]+(:[a-z0-9-]+)*$/i.test(v),
      expected: 'a report format such as afrf',
      in: 'rfc7489',
    },
  ],
  ['ri', { test: (v) => /^\d{1,10}$/.test(v), expected: 'a number of seconds', in: 'rfc7489' }],
  ['psd', { test: (v) => /^[ynu]$/.test(v), expected: 'y, n or u', in: 'rfc9989' }],
  ['t', { test: (v) => /^[yn]$/.test(v), expected: 'y or n', in: 'rfc9989' }],
  ['rua', { test: ANY, expected: '', in: 'both' }],
  ['ruf', { test: ANY, expected: '', in: 'both' }],
]);

/** RFC 7489 §6.4 / RFC 9989: `tag *WSP "=" *WSP value`, parts separated by `*WSP ";" *WSP`. */
const TAG_SPEC = /^([A-Za-z0-9_]+)[ \t]*=[ \t]*(.*)$/;

/** RFC 7489 §6.6.3: only TXT records beginning with "v=DMARC1" are DMARC records. */
export function isDmarcRecord(text: string): boolean {
  return /^v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/.test(text);
}

/**
 * Parses a DMARC record. `v=DMARC1` must come first (RFC 7489 §6.4, RFC 9989 "MUST be the first tag"); a part that
 * is not a tag is a fault and is left out, as RFC 9989 has receivers discard it; a trailing ";" is allowed.
 */
export function parseDmarcRecord(text: string): ParsedDmarcRecord {
  const faults: DmarcFault[] = [];
  const tags = new Map<string, string>();
  const parts = text.split(';').map((p) => p.trim());
  if (parts.at(-1) === '') parts.pop();
  let versionFirst = false;
  parts.forEach((part, i) => {
    const m = TAG_SPEC.exec(part);
    if (m === null) return faults.push({ kind: 'not-a-tag', text: part });
    const tag = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (i === 0) versionFirst = tag === 'v' && value === 'DMARC1';
    if (tags.has(tag)) return faults.push({ kind: 'duplicate-tag', tag });
    tags.set(tag, value);
  });
  if (!versionFirst) faults.push({ kind: 'no-version' });
  for (const [tag, value] of tags) {
    const rule = TAGS.get(tag);
    if (rule === undefined) {
      faults.push({ kind: 'unknown-tag', tag });
      continue;
    }
    if (!rule.test(value.toLowerCase()))
      faults.push({ kind: 'bad-value', tag, value, expected: rule.expected });
    if (rule.in === 'rfc7489') faults.push({ kind: 'legacy-tag', tag });
  }
  if (!tags.has('p')) faults.push({ kind: 'no-policy' });
  const rua = reportUris(tags, 'rua', faults);
  const ruf = reportUris(tags, 'ruf', faults);
  return { record: versionFirst ? { tags, rua, ruf } : null, faults };
}

/** RFC 7489 §6.2/§6.4: a comma-separated list of URIs, each a mailto: with an optional `!size` limit. */
function reportUris(tags: ReadonlyMap<string, string>, tag: 'rua' | 'ruf', faults: DmarcFault[]): DmarcUri[] {
  const value = tags.get(tag);
  if (value === undefined || value === '') return [];
  return value.split(',').map((u) => {
    const uri = u.trim();
    const mail = /^mailto:([^!@]+)@([^!]+)(![0-9]+[kmgt]?)?$/i.exec(uri);
    if (mail === null) faults.push({ kind: 'bad-uri', tag, uri });
    return { uri, domain: mail === null ? null : mail[2]!.toLowerCase().replace(/\.$/, '') };
  });
}
