/**
 * The contract of the platform-secret port, part of the store contract (SQLite and PostgreSQL): a secret is made
 * once, every caller gets the same bytes, and a KEK rotation re-wraps it without changing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandom } from '../core/index.ts';
import {
  parseKekFile,
  platformSecret,
  renderKekFile,
  rewrapPlatformSecrets,
  staticKekSource,
  type KeyEncryptionKeys,
} from '../secrets/index.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

function keys(text: string): KeyEncryptionKeys {
  const parsed = parseKekFile(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

export function describePlatformSecretContract(withStore: WithStore): void {
  test('platform secrets: made once (also by two callers at once), the same after a KEK rotation', () =>
    withStore(async (store) => {
      const deps = { random: cryptoRandom, now: () => '2026-11-01T00:00:00.000Z' };
      const k1File = renderKekFile(cryptoRandom, 'k1');
      const k1 = staticKekSource(keys(k1File));
      const [a, b] = await Promise.all([
        platformSecret(store.platformSecrets, k1, 'verp', deps),
        platformSecret(store.platformSecrets, k1, 'verp', deps),
      ]);
      assert.equal(a.length, 32);
      assert.deepEqual(a, b, 'two nodes starting at once agree on one secret');
      assert.notDeepEqual(await platformSecret(store.platformSecrets, k1, 'other', deps), a);

      // Rotation: k2 first, k1 kept while re-wrapping; then k1 dropped from the file.
      const both = staticKekSource(
        keys(renderKekFile(cryptoRandom, 'k2', [k1File.trim().split('\n').at(-1)!])),
      );
      const report = await rewrapPlatformSecrets(store.platformSecrets, both);
      assert.deepEqual(report, { rewrapped: 2, failed: [], remaining: 0 });
      const k2Only = staticKekSource({
        current: both.keys().current,
        byId: new Map([['k2', both.keys().current.key]]),
      });
      assert.deepEqual(await platformSecret(store.platformSecrets, k2Only, 'verp', deps), a);
      assert.deepEqual(await rewrapPlatformSecrets(store.platformSecrets, k2Only), {
        rewrapped: 0,
        failed: [],
        remaining: 0,
      });
      // Under a key-encryption key it was never sealed with, it does not open, and says so.
      await assert.rejects(
        platformSecret(
          store.platformSecrets,
          staticKekSource(keys(renderKekFile(cryptoRandom, 'k9'))),
          'verp',
          deps,
        ),
        /platform secret verp does not open \(unknown_kek\)/,
      );
    }));
}
