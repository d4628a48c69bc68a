import { randomBytes } from 'node:crypto';

/** Injected randomness, so token and key-id generation can be made deterministic in tests. */
export interface RandomSource {
  bytes(n: number): Buffer;
}

export const cryptoRandom: RandomSource = { bytes: (n) => randomBytes(n) };

/** RFC 4648 base32 alphabet in lower case: safe in DNS labels and e-mail local parts. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `length` characters of lower-case base32, 5 bits of entropy each. */
export function randomBase32(random: RandomSource, length: number): string {
  // Rejection-free: each byte contributes its low 5 bits, which is uniform because 256 is a multiple of 32.
  const bytes = random.bytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32[byte & 31];
  return out;
}
