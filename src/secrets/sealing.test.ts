import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandom } from '../core/index.ts';
import { parseKekFile, renderKekFile } from './kek.ts';
import { openSecret, sealSecret } from './sealing.ts';

const keysOf = (text: string) => {
  const parsed = parseKekFile(text);
  assert.ok(parsed.ok);
  return parsed.value;
};

test('a sealed secret opens with its AAD and KEK, and with nothing else', () => {
  const k1 = keysOf(renderKekFile(cryptoRandom, 'k1'));
  const secret = Buffer.from('the private key bytes');
  const sealed = sealSecret(secret, 'row-a', k1);
  assert.equal(sealed.kekId, 'k1');
  assert.ok(!Buffer.from(sealed.sealed, 'base64').includes(secret), 'not stored in clear');
  const opened = openSecret(sealed, 'row-a', k1);
  assert.ok(opened.ok && opened.value.equals(secret));
  assert.deepEqual(
    openSecret(sealed, 'row-b', k1),
    { ok: false, error: 'corrupt' },
    'AAD binds it to its row',
  );
  const other = keysOf(renderKekFile(cryptoRandom, 'k1'));
  assert.deepEqual(
    openSecret(sealed, 'row-a', other),
    { ok: false, error: 'corrupt' },
    'another key under the same id',
  );
  const k2 = keysOf(renderKekFile(cryptoRandom, 'k2'));
  assert.deepEqual(openSecret(sealed, 'row-a', k2), { ok: false, error: 'unknown_kek' });
  const raw = Buffer.from(sealed.sealed, 'base64');
  raw[20] = raw[20]! ^ 1;
  assert.deepEqual(openSecret({ ...sealed, sealed: raw.toString('base64') }, 'row-a', k1), {
    ok: false,
    error: 'corrupt',
  });
});

test('after a KEK rotation, old ciphertexts open with the old key kept in the file', () => {
  const k1 = keysOf(renderKekFile(cryptoRandom, 'k1'));
  const sealed = sealSecret(Buffer.from('x'), 'aad', k1);
  const line = `k1:${k1.current.key.toString('base64')}`;
  const both = keysOf(renderKekFile(cryptoRandom, 'k2', [line]));
  assert.equal(both.current.id, 'k2');
  assert.ok(openSecret(sealed, 'aad', both).ok);
  assert.equal(sealSecret(Buffer.from('x'), 'aad', both).kekId, 'k2');
});
