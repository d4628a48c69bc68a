import { openSecret, sealSecret, type KekSource } from '../secrets/index.ts';
import { accountKeyAad, hostKeyAad } from './certificate-keys.ts';
import type { EdgeRepository } from './ports.ts';

/**
 * Re-seals every edge key (ACME account keys, certificate keys, keys of orders under way) that is not under the
 * current key-encryption key, for `senderd kek rotate`. Each row is replaced with a compare-and-set on its old
 * KEK id, so the pass is safe to repeat after a crash and beside a running node.
 */
export async function rewrapEdgeKeys(
  repo: EdgeRepository,
  kek: KekSource,
): Promise<{ rewrapped: number; failed: string[]; remaining: number }> {
  const keys = kek.keys();
  let rewrapped = 0;
  const failed: string[] = [];
  for (const row of await repo.sealedKeysNotUnder(keys.current.id)) {
    const aad = row.kind === 'account' ? accountKeyAad(row.owner) : hostKeyAad(row.owner);
    const opened = openSecret(row.secret, aad, keys);
    if (!opened.ok) {
      failed.push(`${row.kind} ${row.id}`);
      continue;
    }
    const sealed = sealSecret(opened.value, aad, keys);
    opened.value.fill(0);
    if (await repo.rewrapKey(row, sealed)) rewrapped++;
  }
  return { rewrapped, failed, remaining: (await repo.sealedKeysNotUnder(keys.current.id)).length };
}
