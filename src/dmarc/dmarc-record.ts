import { stepAt, type Disposition } from './ladder.ts';

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
