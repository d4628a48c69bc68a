import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.ts';
import { createLogger } from '../../src/core/index.ts';
import { parseKekFile } from '../../src/secrets/index.ts';
import { CORPUS, startTestNode, type TestNode } from '../support/node.ts';
import { run } from '../support/tools.ts';
import { scriptedProbe } from './support.ts';
import { signWith, testMessage } from './signing.ts';

/**
 * Every form a private key could leak in: the lines of its PEM encodings, and its secret numbers (RSA d, p, q,
 * dp, dq, qi; the Ed25519 seed) as base64, base64url and hex, in 32-character slices so a partial leak counts.
 * Public parts (the modulus is inside the private DER too) are left out: they are published on purpose.
 */
function needles(key: KeyObject): string[] {
  const out: string[] = [];
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  for (const type of ['pkcs1', 'pkcs8'] as const) {
    if (type === 'pkcs1' && key.asymmetricKeyType !== 'rsa') continue;
    const pem = key.export({ type, format: 'pem' }).toString();
    for (const line of pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'))) {
      if (!publicDer.includes(Buffer.from(line, 'base64'))) out.push(line);
    }
  }
  const jwk = key.export({ format: 'jwk' });
  for (const part of [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].filter(
    (v): v is string => typeof v === 'string',
  )) {
    const raw = Buffer.from(part, 'base64url');
    for (const form of [part, raw.toString('base64'), raw.toString('hex')])
      for (let i = 0; i + 32 <= form.length; i += 32) out.push(form.slice(i, i + 32));
  }
  return out;
}

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('no private key material in the database, the logs, API responses or CLI output', async () => {
  const logs = sink();
  const log = createLogger({ level: 'trace', format: 'json', destination: logs.stream });
  const t = await startTestNode({ log, runtime: { probe: scriptedProbe() } });
  const transcript: string[] = [];
  const cli = async (args: string[], stdin?: string) => {
    const out = sink();
    const err = sink();
    // The CLI sees the same store and settings as the node (SQLite file or PostgreSQL database).
    const given: Record<string, string> = {
      dataDir: t.config.dataDir,
      'platform.zone': t.config.platform.zone,
      'domains.publicSuffixList': t.config.domains.publicSuffixList,
      'dkim.scheduler': 'false',
      'resolvers.servers': '127.0.0.1:53',
      'http.port': '0',
      'store.driver': t.config.store.driver,
      ...(t.config.store.driver === 'postgres' ? { 'store.postgresUrl': t.config.store.postgresUrl } : {}),
    };
    const flags = Object.entries(given).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
    const code = await runCli([...flags, ...args], {
      env: {},
      cwd: t.config.dataDir,
      stdout: out.stream,
      stderr: err.stream,
      ...(stdin !== undefined ? { stdin: Readable.from([stdin]) } : { stdin: new PassThrough().end() }),
    });
    transcript.push(out.text(), err.text());
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const secrets: KeyObject[] = [];
  try {
    const tenant = await t.services.accounts.addTenant('default');
    const { key: apiKey } = await t.services.accounts.createApiKey(tenant.id, 'test');
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t.http}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      transcript.push(text);
      return { status: res.status, json: JSON.parse(text || '{}') as Record<string, unknown> };
    };

    assert.equal((await api('POST', '/v1/domains', { name: 'example.com' })).status, 201);
    await t.services.rotation.runOnce(); // generates the first key
    // Import through the API: a good key, then refusals that carry the PEM in the request.
    const imported = generateKeyPairSync('rsa', { modulusLength: 2048 });
    secrets.push(imported.privateKey);
    const pem = imported.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    secrets.push(other.privateKey);
    const mismatch = await api('POST', '/v1/domains/example.com/dkim/keys/import', {
      pem,
      publicKey: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    assert.equal(mismatch.status, 422);
    const encrypted = other.privateKey
      .export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'right',
      })
      .toString();
    const wrong = await api('POST', '/v1/domains/example.com/dkim/keys/import', {
      pem: encrypted,
      passphrase: 'wrong',
    });
    assert.equal(wrong.status, 422);
    const damaged = await api('POST', '/v1/domains/example.com/dkim/keys/import', {
      pem: pem.replace(/\n(.{10})/, '\n#$1'),
    });
    assert.equal(damaged.status, 422);
    const ok = await api('POST', '/v1/domains/example.com/dkim/keys/import', { pem });
    assert.equal(ok.status, 201);
    // Import through the CLI from standard input, with the corpus key and an encrypted one.
    const corpusPem = readFileSync(new URL('dkim/dkimpy/2048_testkey.key', CORPUS), 'utf8');
    secrets.push(createPrivateKey(corpusPem));
    let r = await cli(['dkim', 'import', 'example.com'], corpusPem);
    assert.equal(r.code, 0, r.stderr);
    r = await cli(['dkim', 'import', 'example.com'], encrypted);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /encrypted: give its passphrase/);
    r = await cli(['--json', 'dkim', 'keys', 'example.com']);
    assert.equal(r.code, 0);
    // Rotate, activate, sign, revoke, and list everything.
    await api('POST', '/v1/domains/example.com/dkim/rotate', {});
    const keys = (await api('GET', '/v1/domains/example.com/dkim/keys')).json.keys as Array<{
      id: string;
      state: string;
    }>;
    for (const k of keys.filter((k) => k.state === 'pending'))
      await api('POST', `/v1/domains/example.com/dkim/keys/${k.id}/activate`);
    await t.services.dkim.setPolicy(tenant.id, 'example.com', { leadTime: '2h' });
    const domain = await t.services.domains.get(tenant.id, 'example.com');
    const before = await t.services.store.dkim.listInZoneByDomain(domain.id);
    // Let the lead time pass by moving the keys' creation back (the node runs on the real clock).
    await t.services.store.db
      .updateTable('dkim_keys')
      .set({ created_at: '2020-01-01T00:00:00.000Z' })
      .execute();
    await t.services.rotation.runOnce();
    const signing = await t.services.signingKeys.forDomain(domain.id);
    assert.ok(signing.usable, 'a key signs');
    for (const k of signing.keys) secrets.push(k.privateKey);
    await signWith(testMessage('leak'), 'example.com', signing.keys);
    const anActive = (await t.services.store.dkim.listInZoneByDomain(domain.id)).find(
      (k) => k.state === 'active',
    )!;
    assert.equal(
      (await api('POST', `/v1/domains/example.com/dkim/keys/${anActive.id}/revoke`, {})).status,
      409,
    );
    assert.equal(
      (await api('POST', `/v1/domains/example.com/dkim/keys/${anActive.id}/revoke`, { force: true })).status,
      200,
    );
    assert.ok(before.length > 0);
    assert.equal((await t.services.signingKeys.forDomain(domain.id)).usable, false, 'no key signs now');
    const critical = await api('GET', '/v1/events?type=dkim.signing.unavailable');
    assert.equal((critical.json.events as unknown[]).length, 1, 'a critical event, not silence');
    // A replacement is published, activated by the operator, and signs.
    await t.services.rotation.runOnce();
    const replacement = (await t.services.store.dkim.listInZoneByDomain(domain.id)).find(
      (k) => k.state === 'pending',
    )!;
    await api('POST', `/v1/domains/example.com/dkim/keys/${replacement.id}/activate`);
    await t.services.store.db
      .updateTable('dkim_keys')
      .set({ created_at: '2020-01-01T00:00:00.000Z' })
      .execute();
    await t.services.rotation.runOnce();
    const again = await t.services.signingKeys.forDomain(domain.id);
    assert.ok(again.usable);
    for (const k of again.keys) secrets.push(k.privateKey);
    // The revoked and generated keys too: read them back through the cache before they left.
    await api('GET', '/v1/events?limit=1000');
    await api('GET', '/v1/domains/example.com/records');
    r = await cli(['events', '--limit', '1000']);
    assert.equal(r.code, 0);
    r = await cli(['kek', 'rotate']);
    assert.equal(r.code, 0, r.stderr);
    const kek = parseKekFile(readFileSync(t.config.secrets.kekFile, 'utf8'));
    assert.ok(
      kek.ok && kek.value.byId.size === 1 && kek.value.current.id === 'k2',
      'old key-encryption keys pruned',
    );
    t.services.signingKeys.clear();
    assert.ok(
      (await t.services.signingKeys.forDomain(domain.id)).usable,
      'keys open under the new key-encryption key',
    );
    assert.equal((await t.services.store.dkim.sealedKeysNotUnder('k2')).length, 0);
  } finally {
    await t.node.stop();
  }
  try {
    const haystacks: Array<[string, string]> = [
      ...(await databaseDump(t.config)),
      ['logs', logs.text()],
      ['api and cli', transcript.join('\n')],
    ];
    assert.ok(logs.text().includes('"request"'), 'logs were captured');
    assert.ok(secrets.length >= 5);
    for (const key of secrets) {
      for (const needle of needles(key)) {
        for (const [where, text] of haystacks)
          assert.ok(!text.includes(needle), `private key material in ${where}`);
      }
    }
  } finally {
    await t.close();
  }
});

/** Everything the database holds, as text: the SQLite files byte for byte, or a full pg_dump. */
async function databaseDump(config: TestNode['config']): Promise<Array<[string, string]>> {
  if (config.store.driver === 'postgres') {
    const dump = await run('/usr/lib/postgresql/15/bin/pg_dump', [
      '--data-only',
      '--inserts',
      config.store.postgresUrl,
    ]);
    assert.equal(dump.code, 0, dump.stderr);
    assert.ok(dump.stdout.includes('dkim_keys'), 'the dump holds the key table');
    return [['pg_dump', dump.stdout]];
  }
  const dbFiles = readdirSync(config.dataDir).filter((f) => f.startsWith('senderd.db'));
  assert.ok(dbFiles.length >= 1);
  return dbFiles.map(
    (f) => [f, readFileSync(join(config.dataDir, f)).toString('latin1')] as [string, string],
  );
}
