import { createHash, sign, type KeyObject } from 'node:crypto';
import type { HeaderField } from '../mail/index.ts';
import { relaxedBodyHash, relaxedHeader } from './canonicalization.ts';

/**
 * DKIM signing (RFC 6376) with relaxed/relaxed canonicalisation, for RSA-SHA256 and Ed25519-SHA256 (RFC 8463).
 * The body hash is computed once per message and shared by every signature; each private key is a cached
 * KeyObject, and the signature itself runs on libuv's thread pool (crypto.sign with a callback), off the event loop.
 * Only dkim/ calls this: other folders ask a `DkimSigner` (message-signer.ts), which finds the keys itself.
 */

/** A private key that signs right now, ready to use (decrypted once, cached, never logged). */
export interface SigningKey {
  /** The key's id in the store, recorded in the trace (never the key itself). */
  readonly keyId: string;
  readonly selector: string;
  /** The `a=` tag: RFC 6376 §3.3 rsa-sha256 or RFC 8463 §3 ed25519-sha256. */
  readonly algorithm: 'rsa-sha256' | 'ed25519-sha256';
  readonly privateKey: KeyObject;
}

/**
 * Fields signed when present. RFC 6376 §5.4.1 recommends the fields that carry the message's meaning; Received
 * and Return-Path are left out because relays add them.
 */
export const SIGNED_FIELDS: readonly string[] = [
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-id',
  'content-description',
  'in-reply-to',
  'references',
  'list-id',
  'list-help',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-subscribe',
  'list-post',
  'list-owner',
  'list-archive',
  'feedback-id',
];

/**
 * Fields named once more than they occur ("oversigning", RFC 6376 §8.15): a verifier then treats the extra name
 * as an empty field, so anyone who adds another such field afterwards breaks the signature. For a field that is
 * absent this forbids adding it at all.
 */
export const OVERSIGNED_FIELDS: ReadonlySet<string> = new Set([
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'in-reply-to',
  'references',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/** A body's SHA-256 under relaxed canonicalisation (RFC 6376 §3.4.4), for a body that never sat in memory whole. */
export interface BodyHash {
  readonly relaxedSha256: Buffer;
}

export interface SignatureUsed {
  readonly signingDomain: string;
  readonly selector: string;
  readonly algorithm: SigningKey['algorithm'];
  readonly keyId: string;
}

export interface SignedHeaders {
  /** The DKIM-Signature fields to put on top of the message, each ending in CRLF. */
  readonly fields: readonly string[];
  readonly used: readonly SignatureUsed[];
}

/** The h= list and the canonical header data it covers, shared by every signature of one message. */
export function selectSignedFields(fields: readonly HeaderField[]): { names: string[]; canonical: string } {
  const names: string[] = [];
  let canonical = '';
  for (const name of SIGNED_FIELDS) {
    const instances = fields.filter((f) => f.name === name);
    const listed = instances.length + (OVERSIGNED_FIELDS.has(name) ? 1 : 0);
    // RFC 6376 §5.4.2: the n-th listing of a name covers the n-th instance counted from the bottom; a listing
    // with no instance left covers nothing.
    for (let k = 0; k < listed; k++) {
      names.push(name);
      const field = instances[instances.length - 1 - k];
      if (field !== undefined) canonical += relaxedHeader(field.raw);
    }
  }
  return { names, canonical };
}

/** Signs one message with every key given; the same header set and body hash serve all signatures. */
export async function signMessage(input: {
  readonly signingDomain: string;
  readonly keys: readonly SigningKey[];
  readonly fields: readonly HeaderField[];
  /** The body (CRLF-only), or its relaxed hash computed while it streamed in (RelaxedBodyHasher). */
  readonly body: Buffer | BodyHash;
  readonly now: Date;
}): Promise<SignedHeaders> {
  if (input.keys.length === 0) return { fields: [], used: [] };
  const bodyHash = (
    Buffer.isBuffer(input.body) ? relaxedBodyHash(input.body) : input.body.relaxedSha256
  ).toString('base64');
  const { names, canonical } = selectSignedFields(input.fields);
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const signed = await Promise.all(
    input.keys.map(async (key) => {
      const unsigned = signatureField({
        algorithm: key.algorithm,
        domain: input.signingDomain,
        selector: key.selector,
        timestamp,
        names,
        bodyHash,
      });
      // RFC 6376 §3.7: the DKIM-Signature field itself, with an empty b= and no final CRLF, ends the hashed data.
      const data = Buffer.from(canonical + relaxedHeader(unsigned).slice(0, -2), 'latin1');
      const signature = await signData(key.algorithm, key.privateKey, data);
      return unsigned + foldBase64(signature.toString('base64')) + '\r\n';
    }),
  );
  return {
    fields: signed,
    used: input.keys.map((k) => ({
      signingDomain: input.signingDomain,
      selector: k.selector,
      algorithm: k.algorithm,
      keyId: k.keyId,
    })),
  };
}

function signatureField(p: {
  algorithm: string;
  domain: string;
  selector: string;
  timestamp: number;
  names: readonly string[];
  bodyHash: string;
}): string {
  const lines = [`DKIM-Signature: v=1; a=${p.algorithm}; c=relaxed/relaxed; d=${p.domain};`];
  lines.push(`s=${p.selector}; t=${p.timestamp};`);
  // h= may be folded after any colon (RFC 6376 §3.5, sig-h-tag).
  let line = 'h=';
  p.names.forEach((name, i) => {
    const piece = name + (i < p.names.length - 1 ? ':' : ';');
    if (line.length + piece.length > 72) {
      lines.push(line);
      line = '';
    }
    line += piece;
  });
  lines.push(line);
  lines.push(`bh=${p.bodyHash};`);
  lines.push('b=');
  return lines.join('\r\n\t');
}

/** Base64 in FWS-separated pieces, so no line passes 78 characters (RFC 6376 §3.5: FWS allowed in b=). */
function foldBase64(b64: string): string {
  const parts: string[] = [];
  for (let i = 0; i < b64.length; i += 72) parts.push(b64.slice(i, i + 72));
  return parts.join('\r\n\t ');
}

function signData(algorithm: SigningKey['algorithm'], key: KeyObject, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, signature: Buffer) => (error ? reject(error) : resolve(signature));
    if (algorithm === 'rsa-sha256') sign('sha256', data, key, done);
    // RFC 8463 §3: Ed25519 (PureEdDSA) signs the SHA-256 hash of the canonical data, not the data itself.
    else sign(null, createHash('sha256').update(data).digest(), key, done);
  });
}
