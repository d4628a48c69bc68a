import { err, ok, type RandomSource, type Result } from '../core/index.ts';
import { isTsigAlgorithm, TSIG_ALGORITHMS, type TsigAlgorithm, type TsigKey } from './tsig-algorithm.ts';
import { nameToWire } from './wire-name.ts';

/**
 * Checks a configured key. Messages never contain the secret. RFC 2104 §3 calls keys shorter than the hash
 * output "strongly discouraged", and RFC 8945 §6 asks for keys of "sufficient length": a secret shorter than
 * the HMAC output is refused, since `senderd dns tsig-keygen` (and `tsig-keygen`, `keymgr`) make full-length
 * ones.
 */
export function parseTsigKey(name: string, algorithm: string, secretBase64: string): Result<TsigKey, string> {
  const keyName = name.trim().toLowerCase().replace(/\.$/, '');
  try {
    if (keyName === '') throw new Error('empty');
    nameToWire(keyName);
  } catch {
    return err(`"${name}" is not a valid key name (a domain name such as xfr.example.net)`);
  }
  const alg = algorithm.trim().toLowerCase().replace(/\.$/, '');
  if (alg === 'hmac-md5' || alg === 'hmac-md5.sig-alg.reg.int') {
    return err('hmac-md5 is refused: RFC 8945 §6 deprecates it; use hmac-sha256');
  }
  if (!isTsigAlgorithm(alg)) {
    return err(`unknown algorithm "${algorithm}": use hmac-sha256, hmac-sha384 or hmac-sha512`);
  }
  const text = secretBase64.trim();
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return err('the secret is not valid base64');
  }
  const secret = Buffer.from(text, 'base64');
  const needed = TSIG_ALGORITHMS[alg].outputLength;
  if (secret.length < needed) {
    return err(
      `the secret has ${secret.length} bytes; ${alg} needs at least ${needed} (RFC 2104 §3, RFC 8945 §6). Make one with: senderd dns tsig-keygen ${keyName}`,
    );
  }
  return ok({ name: keyName, algorithm: alg, secret });
}

/** A new secret as long as the algorithm's output (RFC 2104 §3), in base64. */
export function generateTsigSecret(random: RandomSource, algorithm: TsigAlgorithm): string {
  return random.bytes(TSIG_ALGORITHMS[algorithm].outputLength).toString('base64');
}
