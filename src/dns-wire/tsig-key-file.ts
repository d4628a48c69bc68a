import { err, type Result } from '../core/index.ts';
import type { TsigKey } from './tsig-algorithm.ts';
import { parseTsigKey } from './tsig-key.ts';

/**
 * A TSIG key as the tools that make one write it, so the file the DNS host gave can be used as it is:
 * - BIND's `key "name" { algorithm hmac-sha256; secret "..."; };` (tsig-keygen, ddns-confgen, named.conf);
 * - Knot's `key:` section (`- id: name`, `algorithm:`, `secret:`), as `keymgr -t` prints it;
 * - nsupdate/knsupdate's `-y` form, `[algorithm:]name:secret`, on one line.
 * Only the first key is read. Errors name the file's problem, never its secret.
 */
export function parseTsigKeyFile(text: string): Result<TsigKey, string> {
  const bind = /key\s+"?([^"\s{]+)"?\s*\{([^}]*)\}/.exec(text);
  if (bind !== null) {
    const algorithm = /algorithm\s+"?([A-Za-z0-9.-]+)"?\s*;/.exec(bind[2]!)?.[1];
    const secret = /secret\s+"([^"]*)"\s*;/.exec(bind[2]!)?.[1];
    if (algorithm === undefined || secret === undefined)
      return err('the key block needs both "algorithm" and "secret" statements');
    return parseTsigKey(bind[1]!, algorithm, secret);
  }
  const knot = /^\s*-\s*id:\s*(\S+)\s*$/m.exec(text);
  if (knot !== null) {
    const algorithm = /^\s*algorithm:\s*(\S+)\s*$/m.exec(text)?.[1];
    const secret = /^\s*secret:\s*(\S+)\s*$/m.exec(text)?.[1];
    if (algorithm === undefined || secret === undefined)
      return err('the key section needs both "algorithm:" and "secret:"');
    return parseTsigKey(knot[1]!, algorithm, secret);
  }
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const parts = line?.trim().split(':') ?? [];
  if (parts.length === 3) return parseTsigKey(parts[1]!, parts[0]!, parts[2]!);
  if (parts.length === 2) return parseTsigKey(parts[0]!, 'hmac-sha256', parts[1]!);
  return err(
    'no TSIG key found: expected a BIND key block (tsig-keygen), a Knot key section (keymgr -t) or algorithm:name:secret',
  );
}
