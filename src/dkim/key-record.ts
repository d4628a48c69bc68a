import type { DkimKey, KeyAlgorithm } from './model.ts';
import { describeTagListFault, parseTagList } from './tag-list.ts';

/**
 * The TXT value of a key record (RFC 6376 §3.6.1). `v=DKIM1` first, as the RFC requires when present; `k=` says
 * the algorithm (RFC 8463 §4.1 registers `ed25519`). A revoked key keeps its record with an empty `p=`.
 */
export function keyRecord(algorithm: KeyAlgorithm, publicKey: string): string {
  return `v=DKIM1; k=${algorithm}; p=${publicKey}`;
}

/** The record published for a key in its current state. */
export function publishedRecordOf(key: Pick<DkimKey, 'algorithm' | 'publicKey' | 'state'>): string {
  return keyRecord(key.algorithm, key.state === 'revoked' ? '' : key.publicKey);
}

/**
 * The public key bytes of a key record, or null when there is no usable `p=`: an invalid tag-list (RFC 6376 §3.2,
 * a duplicate tag among others), no `p=`, an empty one (revoked), or one that is not base64.
 */
export function publicKeyBytesOf(text: string): Buffer | null {
  const tags = parseTagList(text);
  const p = tags.ok ? tags.value.get('p') : undefined;
  if (p === undefined || p === '') return null;
  return base64Bytes(p);
}

/**
 * What is wrong with a key record someone gives senderd to publish, or null when receivers can use it: a valid
 * tag-list (RFC 6376 §3.2), `v=DKIM1` if `v=` is there, and a non-empty base64 `p=` (§3.6.1).
 */
export function keyRecordProblem(text: string): string | null {
  const tags = parseTagList(text);
  if (!tags.ok) return `is not a valid DKIM key record (RFC 6376 §3.2): ${describeTagListFault(tags.error)}`;
  const v = tags.value.get('v');
  if (v !== undefined && v !== 'DKIM1') return `has v=${v}; a DKIM key record has v=DKIM1 (RFC 6376 §3.6.1)`;
  const p = tags.value.get('p');
  if (p === undefined || p === '')
    return 'must be a DKIM key record with a p= tag, such as "v=DKIM1; k=rsa; p=MIIB..."';
  if (base64Bytes(p) === null) return 'has a p= value that is not base64';
  return null;
}

/**
 * The bytes of a `p=` value, or null when it is not base64. RFC 6376 §3.6.1 `base64string` allows FWS between
 * the characters, so whitespace is dropped first; a length of 4n+1 characters cannot be base64 (a cut value).
 * An empty value gives no bytes.
 */
export function base64Bytes(value: string): Buffer | null {
  const compact = value.replace(/[ \t\r\n]+/g, '');
  if (compact === '') return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  return Buffer.from(compact, 'base64');
}
