import type { DkimKey, KeyAlgorithm } from './model.ts';

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

/** Tags of a DKIM key record (RFC 6376 §3.2 tag-list): names lower-cased, folding whitespace removed. */
export function parseKeyRecordTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (name === '' || tags.has(name)) continue;
    tags.set(name, part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** The public key bytes of a key record, or null when there is no usable `p=`. */
export function publicKeyBytesOf(text: string): Buffer | null {
  const p = parseKeyRecordTags(text).get('p');
  if (p === undefined || p === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(p)) return null;
  return Buffer.from(p, 'base64');
}
