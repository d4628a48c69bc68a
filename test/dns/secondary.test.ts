/**
 * A real NSD secondary: it transfers the zone from senderd by AXFR, is told of every change by NOTIFY, and
 * then answers every name exactly as senderd does (compared name by name, type by type, with dig).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDig } from '../support/dns-packets.ts';
import { startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { startNsd, type Nsd } from '../support/nsd.ts';
import { freePort } from '../support/ports.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
let dir: TestDir;
let senderd: DnsTestNode;
let nsd: Nsd;
let tenantId: string;

async function soaSerial(port: number): Promise<number | undefined> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=1', Z, 'SOA']);
  const serial = Number(r.stdout.trim().split(/\s+/)[2]);
  return Number.isFinite(serial) && serial > 0 ? serial : undefined;
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}\n${nsd.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

before(async () => {
  dir = tempDir('senderd-secondary-');
  const nsdPort = await freePort();
  senderd = await startDnsTestNode({
    set: [
      'dns.secondaries=["127.0.0.1"]',
      `dns.notify=["127.0.0.1:${nsdPort}"]`,
      'dns.aliases={"www":"@","cdn":"cdn.example.org."}',
    ],
  });
  const tenant = await senderd.services.accounts.addTenant('acme');
  tenantId = tenant.id;
  senderd.keys.set('example.com', [
    { selector: 'sd1', record: `v=DKIM1; k=rsa; p=${'A'.repeat(392)}` },
    { selector: 'sd2', record: 'v=DKIM1; k=rsa; p=' },
  ]);
  senderd.bimi.set('example.com', 'v=BIMI1; l=https://example.com/logo.svg; a=');
  await senderd.services.domains.add(tenant.id, 'example.com', {
    spfMechanisms: ['include:_spf.example.org'],
  });
  await senderd.services.domains.add(tenant.id, 'example.org');
  await until('senderd serves the domains', () => Promise.resolve(senderd.dns.keeper.zone.size > 15), 5000);
  nsd = await startNsd(dir.path, Z, { primaryPort: senderd.port }, nsdPort);
});

after(async () => {
  await nsd?.stop();
  await senderd?.close();
  dir?.remove();
});

test('NSD transfers the zone by AXFR', async () => {
  const serial = senderd.dns.keeper.serial;
  await until('NSD has the zone', async () => (await soaSerial(nsd.port)) === serial, 20_000);
});

test('a change reaches NSD by NOTIFY and a new transfer, without waiting for the refresh timer', async () => {
  const before = senderd.dns.keeper.serial;
  await senderd.services.domains.add(tenantId, 'example.net');
  await until('senderd raised the serial', () => Promise.resolve(senderd.dns.keeper.serial !== before), 5000);
  const serial = senderd.dns.keeper.serial;
  // SOA REFRESH is an hour: only the NOTIFY makes NSD come back this soon.
  const ms = await until(
    'NSD has the new serial',
    async () => (await soaSerial(nsd.port)) === serial,
    15_000,
  );
  assert.ok(ms < 15_000);
  assert.match(nsd.log(), /notify/i);
});

test('NSD answers every name exactly as senderd does', async () => {
  const names = [
    ...senderd.dns.keeper.zone.existingNames(),
    `nothing.${Z}`,
    `x.nothing.${Z}`,
    `deep.sd1.x.dkim.${Z}`,
  ];
  const types = ['SOA', 'NS', 'A', 'AAAA', 'MX', 'TXT', 'CNAME'];
  const batch = join(dir.path, 'queries.txt');
  writeFileSync(batch, names.flatMap((n) => types.map((type) => `${n} ${type}`)).join('\n') + '\n');
  const rr = (list: ReturnType<typeof parseDig>['answer']) =>
    list.map((a) => `${a.name.toLowerCase()} ${a.ttl} ${a.type} ${a.data.toLowerCase()}`).sort();
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
      .map((chunk) => parseDig(chunk));
  };
  const ours = await answers(senderd.port);
  const theirs = await answers(nsd.port);
  assert.equal(ours.length, names.length * types.length);
  assert.equal(theirs.length, ours.length);
  // The sections that define the answer must be identical.
  const core = (d: ReturnType<typeof parseDig>) =>
    JSON.stringify({
      q: d.question.toLowerCase().split(/\s+/),
      status: d.status,
      aa: d.flags.includes('aa'),
      tc: d.flags.includes('tc'),
      answer: rr(d.answer),
      authority: rr(d.authority),
    });
  const differences = ours.flatMap((o, i) =>
    core(o) === core(theirs[i]!) ? [] : [`senderd ${core(o)}\nNSD     ${core(theirs[i]!)}`],
  );
  assert.deepEqual(differences, []);
  // Additional data: NSD with minimal-responses leaves out an MX exchange's address, which senderd adds
  // (RFC 1035 §3.3.9). Every additional record senderd gives must be exactly what NSD answers for that name,
  // and NSD's additional records must all be in senderd's.
  const truth = new Map<string, string[]>();
  theirs.forEach((d) =>
    truth.set(
      d.question
        .toLowerCase()
        .split(/\s+/)
        .filter((x) => x !== 'in')
        .join(' '),
      rr(d.answer),
    ),
  );
  ours.forEach((o, i) => {
    const mine = rr(o.additional);
    for (const record of mine) {
      const [owner = '', , type = ''] = record.split(' ');
      assert.ok(
        truth.get(`${owner} ${type.toLowerCase()}`)?.includes(record),
        `${record} is what NSD answers`,
      );
    }
    for (const record of rr(theirs[i]!.additional))
      assert.ok(mine.includes(record), `NSD's ${record} is in senderd's answer`);
  });
});
