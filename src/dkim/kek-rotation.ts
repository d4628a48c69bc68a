import { openSecret, sealSecret, type KekSource } from '../secrets/index.ts';
import { keyAad } from './key-publisher.ts';
import type { DkimKeyRepository } from './ports.ts';

export interface RewrapReport {
  readonly rewrapped: number;
  /** Keys that did not open under any key in the file: listed by id, never dropped. */
  readonly failed: readonly string[];
  /** Sealed under a key other than the current one after the pass (should be 0 unless something failed). */
  readonly remaining: number;
}

/**
 * Re-seals every DKIM private key that is not under the current KEK. Each row is replaced with a compare-and-set
 * on its old KEK id, so the pass is safe to repeat after a crash and beside a running server.
 */
export async function rewrapDkimKeys(repo: DkimKeyRepository, kek: KekSource): Promise<RewrapReport> {
  const keys = kek.keys();
  const rows = await repo.sealedKeysNotUnder(keys.current.id);
  let rewrapped = 0;
  const failed: string[] = [];
  for (const row of rows) {
    const aad = keyAad(row);
    const opened = openSecret(row.secret, aad, keys);
    if (!opened.ok) {
      failed.push(row.id);
      continue;
    }
    const sealed = sealSecret(opened.value, aad, keys);
    opened.value.fill(0);
    if (await repo.rewrap(row.id, row.secret.kekId, sealed)) rewrapped++;
  }
  const remaining = (await repo.sealedKeysNotUnder(keys.current.id)).length;
  return { rewrapped, failed, remaining };
}
