/**
 * From `domain add` to a valid certificate on https://clicks.example.com with nothing but the CNAME, against
 * Pebble: first without the CNAME (the host waits, with the reason, and no order is placed however often the
 * host is asked for), then with it (one order, validated by Pebble through Unbound and the edge, the chain
 * verified by curl and openssl against Pebble's root).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { sql } from 'kysely';
import { runCli } from '../../src/cli/index.ts';
import { accountKeyAad, hostKeyAad, openKey } from '../../src/edge/index.ts';
import type { RunningNode } from '../../src/main.ts';
import { run } from '../support/tools.ts';
import { edgeRequest, handshake, portOf } from './edge-client.ts';
import { CLICK_HOST, startAcmeWorld, type AcmeWorld } from './acme-world.ts';

let world: AcmeWorld;
let node: RunningNode;
let https = 0;

before(async () => {
  world = await startAcmeWorld();
  node = await world.startNode();
  https = portOf(node, 'edge-https')!;
});

after(async () => {
  await world?.stop();
});

test('without the CNAME the host waits, says why, and no request makes an order', async () => {
  await world.customerZone({ clickCname: false });
  const s = node.services;
  const check = await s.checks.run(world.domain());
  assert.equal(check.verification.verified, true, JSON.stringify(check.records.map((r) => [r.key, r.grade])));
  const report = await s.edge.acme.runOnce();
  assert.deepEqual(report.added, []);
  const status = await s.edge.status.status(world.tenantId, 'example.com');
  assert.equal(status.hosts.length, 1);
  assert.equal(status.hosts[0]!.status, 'waiting');
  assert.match(
    status.hosts[0]!.reason,
    /clicks\.example\.com does not point at the edge yet: There is no CNAME/,
  );
  // Handshakes and requests for the host never order anything.
  for (let i = 0; i < 20; i++) {
    assert.equal((await handshake(https, CLICK_HOST)).ok, false, 'no certificate yet');
    assert.equal((await edgeRequest({ port: world.edgeHttpPort, host: CLICK_HOST })).status, 404);
  }
  assert.equal(await s.store.edge.ordersSince('1970-01-01T00:00:00.000Z'), 0);
});

test('with the CNAME: one order, validated through the CNAME, and a chain that verifies', async () => {
  await world.customerZone({ clickCname: true });
  const s = node.services;
  const check = await s.checks.run(world.domain());
  assert.equal(check.records.find((r) => r.key === 'tracking')?.grade, 'perfect');
  const report = await s.edge.acme.runOnce();
  assert.deepEqual(report.added, [CLICK_HOST]);
  assert.equal(
    report.worked.get(CLICK_HOST),
    'issued',
    world
      .logs()
      .split('\n')
      .filter((l) => l.includes('acme'))
      .join('\n'),
  );
  assert.equal(await s.store.edge.ordersSince('1970-01-01T00:00:00.000Z'), 1);
  const status = (await s.edge.status.status(world.tenantId, 'example.com')).hosts[0]!;
  assert.equal(status.status, 'issued');
  assert.ok(status.certificate !== null);
  const issued = world.events.find((e) => e.type === 'edge.certificate.issued');
  assert.ok(issued, 'the tenant hears of it');
  assert.equal(issued.data.serial, status.certificate.serial);

  const dir = world.pebble.rootFile;
  const curl = await run('curl', [
    '--silent',
    '--show-error',
    '--cacert',
    dir,
    '--resolve',
    `${CLICK_HOST}:${https}:127.0.0.1`,
    '--write-out',
    '%{http_code} %{redirect_url} %{ssl_verify_result}',
    '--output',
    '/dev/null',
    `https://${CLICK_HOST}:${https}/`,
  ]);
  assert.equal(curl.code, 0, curl.stderr);
  assert.equal(curl.stdout, '302 https://example.com/ 0');

  const openssl = await run(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${https}`,
      '-servername',
      CLICK_HOST,
      '-CAfile',
      dir,
      '-verify_hostname',
      CLICK_HOST,
      '-verify_return_error',
      '-showcerts',
    ],
    { input: '' },
  );
  assert.equal(openssl.code, 0, openssl.stderr);
  assert.match(openssl.stdout, /Verify return code: 0 \(ok\)/);
  assert.match(openssl.stdout, new RegExp(`Server Temp Key|Peer signature type: ecdsa`));
  assert.match(openssl.stdout, /s:.*\n.*i:.*Pebble Intermediate/);

  // Over HTTP the host now redirects to HTTPS.
  const plain = await edgeRequest({ port: world.edgeHttpPort, host: CLICK_HOST, path: '/some/path?x=1' });
  assert.equal(plain.status, 301);
  assert.equal(plain.headers.location, `https://${CLICK_HOST}:${https}/some/path?x=1`);
});

test('no private key in the logs, the API, the CLI or the database; no other tenant sees the host; a KEK rotation re-wraps the keys', async () => {
  const s = node.services;
  const cert = (await s.store.edge.currentCertificate(CLICK_HOST))!;
  const account = (await s.store.edge.account(world.pebble.directoryUrl))!;
  const secrets = [
    openKey(cert.key, hostKeyAad(CLICK_HOST), s.kek),
    openKey(account.key, accountKeyAad(world.pebble.directoryUrl), s.kek),
  ];
  // The private scalar in any common encoding (a PEM would also say PRIVATE KEY).
  const needles = secrets.flatMap((pem) => {
    const d = Buffer.from(String(createPrivateKey(pem).export({ format: 'jwk' }).d), 'base64url');
    return [d.toString('hex'), d.toString('base64').slice(0, 40), d.toString('base64url').slice(0, 40)];
  });
  const leaks = (where: string, text: string) => {
    assert.doesNotMatch(text, /PRIVATE KEY/, `${where} holds a PEM private key`);
    for (const n of needles) assert.ok(!text.includes(n), `${where} holds private key material`);
  };

  const { key } = await s.accounts.createApiKey(world.tenantId, 'leak test');
  const http = node.components.find((c) => c.name === 'http')!.address;
  const api = async (path: string) =>
    (await fetch(`${http}${path}`, { headers: { authorization: `Bearer ${key}` } })).text();
  const one = await api('/v1/domains/example.com/edge');
  assert.match(one, /"status":"issued"/);
  leaks('the API', one + (await api('/v1/edge')));

  // Another tenant learns nothing of this one's host: the same 404 as for a domain nobody has, and an empty list.
  const other = await s.accounts.addTenant('other');
  const { key: otherKey } = await s.accounts.createApiKey(other.id, 'other tenant');
  const asOther = (path: string) =>
    fetch(`${http}${path}`, { headers: { authorization: `Bearer ${otherKey}` } });
  const theirs = await asOther('/v1/domains/example.com/edge');
  const nobodys = await asOther('/v1/domains/nobody.example/edge');
  assert.equal(theirs.status, 404);
  assert.equal(nobodys.status, 404);
  const withoutId = (text: string) =>
    text.replace(/"requestId":"[^"]*"/, '').replaceAll('nobody.example', 'example.com');
  assert.equal(withoutId(await theirs.text()), withoutId(await nobodys.text()));
  assert.deepEqual(await (await asOther('/v1/edge')).json(), { domains: [] });

  const cli = async (args: string[]) => {
    const out: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const flags = [
      `dataDir=${s.config.dataDir}`,
      `domains.publicSuffixList=${s.config.domains.publicSuffixList}`,
      `store.driver=${s.config.store.driver}`,
      ...(s.config.store.driver === 'postgres' ? [`store.postgresUrl=${s.config.store.postgresUrl}`] : []),
    ].flatMap((f) => ['--set', f]);
    const code = await runCli([...flags, ...args], {
      env: {},
      cwd: s.config.dataDir,
      stdout: stream,
      stderr: stream,
      stdin: new PassThrough().end(),
    });
    return { code, text: out.join('') };
  };
  const table = await cli(['edge', 'status', '--tenant', 'acme']);
  assert.equal(table.code, 0, table.text);
  assert.match(table.text, /clicks\.example\.com\s+issued\s+\d{4}-/);
  const json = await cli(['--json', 'edge', 'status', 'example.com', '--tenant', 'acme']);
  assert.equal((JSON.parse(json.text) as { hosts: Array<{ status: string }> }).hosts[0]?.status, 'issued');
  leaks('the CLI', table.text + json.text);

  leaks('the logs', world.logs());
  leaks('the database', await databaseText(s));

  // senderd kek rotate re-wraps the certificate and account keys; the edge still serves after it.
  const rotated = await cli(['--json', 'kek', 'rotate']);
  assert.equal(rotated.code, 0, rotated.text);
  assert.equal((JSON.parse(rotated.text) as { rewrapped: { edgeKeys: number } }).rewrapped.edgeKeys, 2);
  assert.deepEqual(await s.store.edge.sealedKeysNotUnder(s.kek.keys().current.id), []);
  assert.equal(
    openKey((await s.store.edge.currentCertificate(CLICK_HOST))!.key, hostKeyAad(CLICK_HOST), s.kek),
    secrets[0],
  );
  leaks('the database after the rotation', await databaseText(s));
});

/** Every byte of the SQLite files, or every text column of the edge's tables in PostgreSQL. */
async function databaseText(s: RunningNode['services']): Promise<string> {
  if (s.config.store.driver === 'sqlite') {
    const path = s.config.store.sqlitePath;
    return [path, `${path}-wal`]
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p).toString('latin1'))
      .join('\n');
  }
  const rows = await Promise.all(
    ['edge_hosts', 'edge_certificates', 'edge_acme_accounts', 'edge_challenges', 'events'].map((t) =>
      sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(s.store.db),
    ),
  );
  return JSON.stringify(rows.map((r) => r.rows));
}
