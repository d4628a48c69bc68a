/**
 * A real NSD secondary bound to a TSIG key (RFC 8945): it gets senderd's signed NOTIFY (NSD refuses an unsigned
 * one when allow-notify names a key), transfers by AXFR over TSIG (NSD verifies every message), and answers
 * like senderd. senderd accepts NSD's NOTIFY answer only when its TSIG verifies. An NSD holding a wrong
 * secret gets nothing. NSD's key clause is the one `senderd dns tsig-keygen` prints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/core/index.ts';
import { renderKeyStanzas } from '../../src/dns/index.ts';
import { parseDig } from '../support/dns-packets.ts';
import { startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { startKnotSecondary } from '../support/knot.ts';
import { startNsd, type Nsd } from '../support/nsd.ts';
import { freePort } from '../support/ports.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
const KEY = {
  name: 'xfr.example.net',
  algorithm: 'hmac-sha256' as const,
  secret: Buffer.alloc(32, 0x42).toString('base64'),
};
let dir: TestDir;
let senderd: DnsTestNode;
let nsd: Nsd;
let tenantId: string;
let knotPort: number;
let logged = '';

function keyStanzas(secret: string) {
  return renderKeyStanzas({ ...KEY, secret, secretFile: null, secretForOthers: secret });
}

function nsdKey(secret: string) {
  return { name: KEY.name, stanza: keyStanzas(secret).nsd };
}

async function dig(port: number, name: string, type: string) {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port), '+norec', '+tries=1', '+time=1', name, type]);
  return parseDig(r.stdout);
}

async function soaSerial(port: number): Promise<number | undefined> {
  const serial = Number((await dig(port, Z, 'SOA')).answer[0]?.data.split(/\s+/)[2]);
  return Number.isFinite(serial) && serial > 0 ? serial : undefined;
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
  log: () => string,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

before(async () => {
  dir = tempDir('senderd-secondary-tsig-');
  const nsdPort = await freePort();
  knotPort = await freePort();
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (logged += chunk.toString()));
  senderd = await startDnsTestNode({
    set: [
      `dns.tsigKeys=${JSON.stringify([KEY])}`,
      `dns.secondaries=${JSON.stringify([{ address: '127.0.0.1', key: KEY.name }])}`,
      `dns.notify=["127.0.0.1:${nsdPort}","127.0.0.1:${knotPort}"]`,
    ],
    log: createLogger({ level: 'debug', format: 'json', destination: out }),
  });
  const tenant = await senderd.services.accounts.addTenant('acme');
  tenantId = tenant.id;
  const size = senderd.dns.keeper.zone.size;
  await senderd.services.domains.add(tenant.id, 'example.com');
  await until(
    'senderd serves the domain',
    () => Promise.resolve(senderd.dns.keeper.zone.size > size),
    5000,
    () => '',
  );
  nsd = await startNsd(dir.path, Z, { primaryPort: senderd.port }, nsdPort, nsdKey(KEY.secret));
});

after(async () => {
  await nsd?.stop();
  await senderd?.close();
  dir?.remove();
});

test('NSD transfers the zone by AXFR signed with the key', async () => {
  const serial = senderd.dns.keeper.serial;
  await until(
    'NSD has the zone',
    async () => (await soaSerial(nsd.port)) === serial,
    20_000,
    () => nsd.log(),
  );
  assert.doesNotMatch(nsd.log(), /bad tsig|tsig.*(fail|error)|BADSIG|BADKEY/i);
});

test('a change reaches NSD by signed NOTIFY, and NSD’s signed answer is accepted', async () => {
  const before = senderd.dns.keeper.serial;
  await senderd.services.domains.add(tenantId, 'example.org');
  await until(
    'senderd raised the serial',
    () => Promise.resolve(senderd.dns.keeper.serial !== before),
    5000,
    () => '',
  );
  const serial = senderd.dns.keeper.serial;
  // SOA REFRESH is an hour: only an accepted (so correctly signed) NOTIFY brings NSD back this soon.
  await until(
    'NSD has the new serial',
    async () => (await soaSerial(nsd.port)) === serial,
    15_000,
    () => nsd.log(),
  );
  await until(
    'senderd saw NSD acknowledge the NOTIFY for the new serial',
    () => Promise.resolve(new RegExp(`"serial":${serial},"outcome":"acknowledged"`).test(logged)),
    10_000,
    () => logged,
  );
  assert.doesNotMatch(logged, /"outcome":"unverified"/);
});

test('NSD answers like senderd', async () => {
  const names = [Z, `x.${Z}`, ...senderd.dns.keeper.zone.existingNames()];
  const types = ['SOA', 'NS', 'TXT', 'MX', 'A'];
  const batch = join(dir.path, 'queries.txt');
  writeFileSync(batch, names.flatMap((n) => types.map((t) => `${n} ${t}`)).join('\n') + '\n');
  const answers = async (port: number) => {
    const r = await run(
      'dig',
      ['@127.0.0.1', '-p', String(port), '+norec', '+nocmd', '+nostats', '-f', batch],
      {
        timeoutMs: 60_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
      .split(/(?=;; ->>HEADER<<-)/)
      .slice(1)
      .map((chunk) => {
        const d = parseDig(chunk);
        return JSON.stringify([
          d.question.toLowerCase(),
          d.status,
          d.answer.map((a) => `${a.name} ${a.ttl} ${a.type} ${a.data}`.toLowerCase()).sort(),
        ]);
      });
  };
  const [ours, theirs] = await Promise.all([answers(senderd.port), answers(nsd.port)]);
  assert.equal(ours.length, names.length * types.length);
  // Most names own one type of the five, so about one question in five has records.
  assert.ok(
    ours.filter((o) => !o.endsWith(',[]]')).length > names.length / 2,
    'the comparison covers records',
  );
  assert.deepEqual(theirs, ours);
});

test('an NSD with the wrong secret gets no zone: senderd answers its signed requests BADSIG', async () => {
  const wrongDir = tempDir('senderd-secondary-tsig-wrong-');
  const wrong = await startNsd(
    wrongDir.path,
    Z,
    { primaryPort: senderd.port },
    undefined,
    nsdKey(Buffer.alloc(32, 1).toString('base64')),
  );
  try {
    // NSD logs the refusal: its signed SOA check is answered NOTAUTH with TSIG error BADSIG.
    await until(
      'NSD reports the TSIG failure',
      () => Promise.resolve(/tsig error \(Bad Signature\)/.test(wrong.log())),
      20_000,
      () => wrong.log(),
    );
    assert.equal((await dig(wrong.port, Z, 'SOA')).status, 'SERVFAIL');
    // senderd logged the failure (RFC 8945 §5.2.1), without the secret.
    assert.match(logged, /"key":"xfr\.example\.net","tsigError":"BADSIG","msg":"TSIG check failed: NOTAUTH"/);
    assert.ok(!logged.includes(KEY.secret));
  } finally {
    await wrong.stop();
    wrongDir.remove();
  }
});

test('a Knot secondary with the key: signed AXFR, then a signed NOTIFY brings the next serial', async () => {
  const knotDir = tempDir('senderd-secondary-tsig-knot-');
  const knot = await startKnotSecondary(
    knotDir.path,
    Z,
    senderd.port,
    { name: KEY.name, stanza: keyStanzas(KEY.secret).knot },
    knotPort,
  );
  try {
    // Knot starts without the zone and transfers it at once.
    const first = senderd.dns.keeper.serial;
    await until(
      'Knot has the zone',
      async () => (await soaSerial(knot.port)) === first,
      20_000,
      () => knot.log(),
    );
    const before = senderd.dns.keeper.serial;
    await senderd.services.domains.add(tenantId, 'example.net');
    await until(
      'senderd raised the serial',
      () => Promise.resolve(senderd.dns.keeper.serial !== before),
      5000,
      () => '',
    );
    const serial = senderd.dns.keeper.serial;
    // SOA REFRESH is an hour: only a NOTIFY Knot accepted (its ACL requires the key) brings it back this soon.
    await until(
      'Knot has the new serial',
      async () => (await soaSerial(knot.port)) === serial,
      15_000,
      () => knot.log(),
    );
    await until(
      'senderd saw Knot acknowledge the NOTIFY',
      () =>
        Promise.resolve(
          new RegExp(`"port":${knotPort}},"serial":${serial},"outcome":"acknowledged"`).test(logged),
        ),
      10_000,
      () => logged,
    );
    // senderd refuses unsigned transfers to 127.0.0.1, so Knot's transfers were signed with the key.
    assert.match(knot.log(), /AXFR, incoming, .* finished/);
    assert.doesNotMatch(knot.log(), /BADSIG|BADKEY|BADTIME|denied/i);
  } finally {
    await knot.stop();
    knotDir.remove();
  }
});
