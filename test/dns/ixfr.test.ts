/**
 * IXFR (RFC 1995) to real secondaries: NSD and Knot, each bound to a TSIG key (RFC 8945), follow 1,000 changes
 * made through senderd's own services (DKIM rotations and revocations, DMARC rollout steps, domains added and
 * deleted) by incremental transfers from the journal, starting from a serial four short of 2^32 so the first
 * change crosses the wrap of RFC 1982 arithmetic. Afterwards each secondary holds exactly the records of
 * `senderd zone export` (compared as record sets, each normalised by BIND's named-compilezone), and senderd's
 * log shows the transfers were incremental.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/core/index.ts';
import { renderKeyStanzas } from '../../src/dns/index.ts';
import { openStore } from '../../src/store/index.ts';
import { exportZone, startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { pooledKeygen } from '../support/key-pool.ts';
import { startKnotSecondary, type Knot } from '../support/knot.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { startNsd, type Nsd } from '../support/nsd.ts';
import { freePort } from '../support/ports.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
const KEY = {
  name: 'xfr.example.net',
  algorithm: 'hmac-sha256' as const,
  secret: Buffer.alloc(32, 0x42).toString('base64'),
};
const NSD_FROM = '127.0.0.2';
const KNOT_FROM = '127.0.0.3';
const START_SERIAL = 2 ** 32 - 4;
/** The 1,000 changes come in this many rounds; each round ends when both secondaries have caught up. */
const ROUNDS = 25;
const keygen = pooledKeygen();

let dir: TestDir;
let senderd: DnsTestNode;
let nsd: Nsd;
let knot: Knot;
let tenantId: string;
let logged = '';
const domains: string[] = [];

function settings(nsdPort: number, knotPort: number): string[] {
  const secondary = (address: string) => ({ address, key: KEY.name });
  return [
    `dns.tsigKeys=${JSON.stringify([KEY])}`,
    // 127.0.0.1: where the secondaries listen, so NOTIFY to them is signed with the key.
    `dns.secondaries=${JSON.stringify([NSD_FROM, KNOT_FROM, '127.0.0.1'].map(secondary))}`,
    `dns.notify=["127.0.0.1:${nsdPort}","127.0.0.1:${knotPort}"]`,
    'dns.pollIntervalMs=50',
  ];
}

async function soaSerial(port: number): Promise<number | undefined> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=1', Z, 'SOA']);
  const serial = Number(r.stdout.trim().split(/\s+/)[2]);
  return r.code === 0 && Number.isFinite(serial) ? serial : undefined;
}

async function until(what: string, check: () => Promise<boolean>, ms: number, log: () => string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}\n${log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Both secondaries serve senderd's serial once every change made so far is in senderd's zone. */
async function bothCaughtUp(): Promise<number> {
  const latest = await senderd.services.store.latestChangeId();
  await until(
    'senderd applied every change',
    () => Promise.resolve(senderd.dns.keeper.watermark >= latest),
    20_000,
    () => logged,
  );
  const serial = senderd.dns.keeper.serial;
  await until(
    `NSD at ${serial}`,
    async () => (await soaSerial(nsd.port)) === serial,
    30_000,
    () => nsd.log(),
  );
  await until(
    `Knot at ${serial}`,
    async () => (await soaSerial(knot.port)) === serial,
    30_000,
    () => knot.log(),
  );
  return serial;
}

before(async () => {
  dir = tempDir('senderd-ixfr-');
  const nsdPort = await freePort();
  const knotPort = await freePort();
  // A first run fills the store; its serial is then set four short of 2^32 for the same content.
  const seed = await startDnsTestNode({
    dir,
    set: settings(nsdPort, knotPort),
    realPlans: true,
    runtime: { keygen },
  });
  const tenant = await seed.services.accounts.addTenant('acme');
  tenantId = tenant.id;
  for (let i = 0; i < 30; i++) {
    domains.push((await seed.services.domains.add(tenantId, `sender${i}.example.com`)).name);
    await seed.services.dkim.rotate(tenantId, domains.at(-1)!);
  }
  const latest = await seed.services.store.latestChangeId();
  await until(
    'the seed applied every change',
    () => Promise.resolve(seed.dns.keeper.watermark >= latest),
    20_000,
    () => '',
  );
  await seed.close();
  const store = openStore({ driver: 'sqlite', path: join(dir.path, 'senderd.db') });
  const stored = await store.dns.readSerial(Z);
  assert.ok(stored !== null);
  assert.ok(await store.dns.compareAndSetSerial(Z, stored, { serial: START_SERIAL, digest: stored.digest }));
  await store.close();

  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (logged += chunk.toString()));
  senderd = await startDnsTestNode({
    dir,
    set: settings(nsdPort, knotPort),
    realPlans: true,
    runtime: { keygen },
    log: createLogger({ level: 'info', format: 'json', destination: out }),
  });
  assert.equal(senderd.dns.keeper.serial, START_SERIAL, 'the same content keeps the stored serial');
  const stanzas = renderKeyStanzas({
    ...KEY,
    secret: KEY.secret,
    secretFile: null,
    secretForOthers: KEY.secret,
  });
  const nsdDir = join(dir.path, 'nsd');
  const knotDir = join(dir.path, 'knot');
  for (const d of [nsdDir, knotDir]) mkdirSync(d);
  nsd = await startNsd(
    nsdDir,
    Z,
    { primaryPort: senderd.port },
    nsdPort,
    { name: KEY.name, stanza: stanzas.nsd },
    {
      ixfr: true,
      from: NSD_FROM,
      provideXfr: true,
    },
  );
  knot = await startKnotSecondary(
    knotDir,
    Z,
    senderd.port,
    { name: KEY.name, stanza: stanzas.knot },
    knotPort,
    {
      from: KNOT_FROM,
      provideXfr: true,
    },
  );
  await bothCaughtUp();
});

after(async () => {
  await nsd?.stop();
  await knot?.stop();
  await senderd?.close();
  dir?.remove();
});

/** One change through senderd's services, chosen by `n`; returns what it was. */
async function change(n: number): Promise<string> {
  const s = senderd.services;
  const name = domains[n % domains.length]!;
  switch (n % 5) {
    case 0:
    case 1: {
      // A rotation publishes the next key; when one is already waiting, it is revoked instead (p= empty).
      const rotated = await s.dkim.rotate(tenantId, name);
      if (!rotated.created) await s.dkim.revoke(tenantId, name, rotated.key.id);
      return 'dkim';
    }
    case 2: {
      const shown = await s.dmarc.show(tenantId, name);
      await s.dmarc.step(tenantId, name, shown.policy.step >= 6 ? 'back' : 'forward', '', true);
      return 'dmarc';
    }
    case 3:
      domains.push((await s.domains.add(tenantId, `new${n}.example.org`)).name);
      return 'add';
    default: {
      const gone = domains.splice(n % domains.length, 1)[0]!;
      await s.domains.remove(tenantId, gone);
      return 'remove';
    }
  }
}

/** The zone as BIND reads it, one canonical line per record, sorted: text differences do not count. */
async function recordSet(file: string): Promise<string[]> {
  const r = await run('named-compilezone', ['-q', '-i', 'none', '-o', '-', Z, file]);
  assert.equal(r.code, 0, `${file}: ${r.stderr}${r.stdout.slice(0, 500)}`);
  return [...new Set(r.stdout.trim().split('\n'))].sort();
}

async function transferFrom(port: number, file: string): Promise<void> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port), Z, 'AXFR', '+nocmd', '+nostats'], {
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /Transfer failed/);
  writeFileSync(file, r.stdout);
}

test('after 1,000 changes, NSD and Knot have followed by signed IXFR and hold exactly senderd zone export', async () => {
  const kinds = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 1000 / ROUNDS; i++) {
      const kind = await change((round * 1000) / ROUNDS + i);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    await bothCaughtUp();
  }
  assert.ok(
    [...kinds.values()].every((n) => n >= 150),
    JSON.stringify([...kinds]),
  );
  assert.ok(senderd.dns.keeper.serial < START_SERIAL, 'the serial went round 2^32');

  const exported = join(dir.path, 'export.zone');
  const r = await exportZone(dir.path, exported);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`serial ${senderd.dns.keeper.serial}\\)`),
    'the same serial for the same content',
  );
  await transferFrom(nsd.port, join(dir.path, 'nsd.axfr'));
  await transferFrom(knot.port, join(dir.path, 'knot.axfr'));
  const expected = await recordSet(exported);
  assert.ok(expected.length > 150, `${expected.length} records`);
  assert.deepEqual(await recordSet(join(dir.path, 'nsd.axfr')), expected, 'NSD holds the exported zone');
  assert.deepEqual(await recordSet(join(dir.path, 'knot.axfr')), expected, 'Knot holds the exported zone');

  const transfers = logged
    .split('\n')
    .filter((l) => l.includes('"zone transferred"'))
    .map((l) => JSON.parse(l) as { client: string; kind: string });
  for (const from of [NSD_FROM, KNOT_FROM]) {
    const mine = transfers.filter((t) => t.client.endsWith(from));
    const incremental = mine.filter((t) => t.kind === 'ixfr').length;
    assert.ok(
      incremental >= ROUNDS,
      `${from}: ${incremental} IXFRs of ${JSON.stringify(mine.map((t) => t.kind))}`,
    );
    assert.equal(mine.filter((t) => t.kind === 'ixfr-full').length, 0, `${from}: never the whole zone again`);
    assert.equal(
      mine.filter((t) => t.kind === 'axfr').length,
      1,
      `${from}: one AXFR, the first, and no fallback`,
    );
  }
  assert.doesNotMatch(nsd.log(), /bad tsig|fallback|IXFR.*(fail|error)/i);
  assert.doesNotMatch(knot.log(), /fallback to AXFR|(IXFR|AXFR|refresh).*failed|TSIG/i);
});
