import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cryptoRandom } from '../../src/core/index.ts';
import { keyAad, rewrapDkimKeys } from '../../src/dkim/index.ts';
import { openSecret, parseKekFile, prependNewKek, pruneOldKeks } from '../../src/secrets/index.ts';
import { openTestServices } from '../support/node.ts';
import { keyPool } from './support.ts';

test('KEK rotation is crash-safe: after the new key is written first, everything still opens, and a re-wrap finishes', async () => {
  const s = await openTestServices({ runtime: { keygen: keyPool(2) } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    for (const name of ['a.example.com', 'b.example.com']) await s.domains.add(tenant.id, name);
    await s.rotation.runOnce();
    const file = s.config.secrets.kekFile;
    const before = parseKekFile(readFileSync(file, 'utf8'));
    assert.ok(before.ok);
    const rows = async () =>
      Promise.all((await s.store.dkim.listInZone()).map(async (k) => (await s.store.dkim.sealedKey(k.id))!));
    assert.equal((await rows()).length, 2);

    // Step 1 only, then a "crash": the new key is current, the old one is still in the file.
    assert.equal(prependNewKek(file, cryptoRandom), 'k2');
    for (const row of await rows()) {
      assert.equal(row.secret.kekId, 'k1');
      assert.ok(openSecret(row.secret, keyAad(row), s.kek.keys()).ok, 'old ciphertexts still open');
    }
    // The re-wrap finishes the rotation; only then are old keys dropped.
    const report = await rewrapDkimKeys(s.store.dkim, s.kek);
    assert.deepEqual(report, { rewrapped: 2, failed: [], remaining: 0 });
    assert.deepEqual(
      await rewrapDkimKeys(s.store.dkim, s.kek),
      { rewrapped: 0, failed: [], remaining: 0 },
      'idempotent',
    );
    assert.deepEqual(pruneOldKeks(file), ['k1']);
    for (const row of await rows()) {
      assert.equal(row.secret.kekId, 'k2');
      assert.ok(openSecret(row.secret, keyAad(row), s.kek.keys()).ok);
      assert.ok(!openSecret(row.secret, keyAad(row), before.value).ok, 'no longer under the old key');
    }
  } finally {
    await s.close();
  }
});
