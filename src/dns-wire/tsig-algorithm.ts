/**
 * TSIG keys (RFC 8945): a name, an HMAC algorithm and a shared secret. HMAC-SHA256 is the one every
 * implementation must support (§6); SHA-384 and SHA-512 are accepted too. HMAC-MD5 is refused: §6 marks it
 * deprecated, and SHA-1/SHA-224 are left out as weaker than needed with nothing depending on them here.
 */
export const TSIG_ALGORITHMS = {
  'hmac-sha256': { hash: 'sha256', outputLength: 32 },
  'hmac-sha384': { hash: 'sha384', outputLength: 48 },
  'hmac-sha512': { hash: 'sha512', outputLength: 64 },
} as const;

export type TsigAlgorithm = keyof typeof TSIG_ALGORITHMS;

export interface TsigKey {
  /** The key name, lower case, no trailing dot: also the owner of the TSIG record (§4.2). */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** The shared secret. A Uint8Array, as it arrives in a worker thread (structured clone drops Buffer). */
  readonly secret: Uint8Array;
}

export function isTsigAlgorithm(name: string): name is TsigAlgorithm {
  return Object.hasOwn(TSIG_ALGORITHMS, name);
}
