/**
 * DNSSEC by a real signer, the topology of docs/dns.md: senderd (hidden primary, unsigned) → Knot DNS signing the
 * platform zone (ECDSA P-256, NSEC3), configured with the stanza `senderd dns tsig-keygen` prints → NSD as the
 * public secondary. A local root, signed with BIND's tools, delegates the platform zone with the DS of Knot's
 * KSK, and a customer zone (example.com, signed too) holds the CNAMEs of senderd's record plan. A validating
 * Unbound, whose only trust anchor is that root, resolves the customer's `sd1._domainkey.example.com` through
 * the CNAME into the platform zone with the AD bit set, before and after a DKIM key rotation made by senderd's
 * own rotation scheduler, whose visibility probe asks that same Unbound.
 *
 * What AD means here: every RRset of the answer validated, the customer's CNAME (signed by the customer's zone)
 * and the platform's TXT (signed by Knot). A customer zone left unsigned would make the chain insecure and the
 * answer would carry no AD, however well the platform zone is signed; the test's bogus zone (a DS that matches
 * no key) shows Unbound refusing what does not validate, so AD is not given for free.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/index.ts';
import { dnsVisibilityProbe } from '../../src/dkim/index.ts';
import { renderSignerStanza } from '../../src/dns/index.ts';
import { digFlags, dsOf, signZone, startUnbound, type Unbound } from '../support/dnssec.ts';
import { startDnsTestNode, type DnsTestNode } from '../support/dns-node.ts';
import { pooledKeygen } from '../support/key-pool.ts';
import { startKnot, type Knot } from '../support/knot.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { startNsdServer, type Nsd } from '../support/nsd.ts';
import { freePort } from '../support/ports.ts';
import { run } from '../support/tools.ts';

const Z = 'mail.example.net';
const DAY = 86_400_000;
const KEY = {
  name: 'xfr.example.net',
  algorithm: 'hmac-sha256' as const,
  secret: Buffer.alloc(32, 0x5a).toString('base64'),
};

let dir: TestDir;
let senderd: DnsTestNode;
let knot: Knot;
let nsd: Nsd;
let unbound: Unbound;
let tenantId: string;
let probe: ReturnType<typeof dnsVisibilityProbe>;
let token: string;
const clock = new ManualClock(new Date().toISOString());

async function until(what: string, check: () => Promise<boolean>, log: () => string, ms = 30_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dkimName = (selector: string) => `${selector}.${token}.dkim.${Z}`;
const keysIn = async (selector: string) =>
  (await digFlags(nsd.port, dkimName(selector), 'TXT')).answer.filter((l) => / TXT /.test(l));

/** What the public secondary serves at a name equals what senderd serves, signed. */
async function secondaryHas(selector: string): Promise<boolean> {
  const ours = await run('dig', [
    '@127.0.0.1',
    '-p',
    String(senderd.port),
    '+short',
    dkimName(selector),
    'TXT',
  ]);
  const theirs = await digFlags(nsd.port, dkimName(selector), 'TXT');
  const signed = theirs.answer.some((l) => / RRSIG TXT 13 /.test(l));
  const text = (s: string) => s.replace(/[\s"]/g, '');
  const served = theirs.answer.filter((l) => / TXT "/.test(l)).map((l) => text(l.slice(l.indexOf('"'))));
  return ours.stdout.trim() !== '' && signed && served.join() === text(ours.stdout);
}

before(async () => {
  dir = tempDir('senderd-dnssec-');
  const knotPort = await freePort();
  const nsdPort = await freePort();
  const unboundPort = await freePort();
  senderd = await startDnsTestNode({
    set: [
      `dns.tsigKeys=${JSON.stringify([KEY])}`,
      `dns.secondaries=${JSON.stringify([{ address: '127.0.0.1', key: KEY.name }])}`,
      `dns.notify=["127.0.0.1:${knotPort}"]`,
      'dns.pollIntervalMs=50',
      'dkim.leadTime=2d',
    ],
    realPlans: true,
    runtime: {
      clock,
      keygen: pooledKeygen(2),
      // The rotation scheduler waits until a resolver sees each key: here, the validating Unbound below.
      probe: (probe = dnsVisibilityProbe({ servers: [`127.0.0.1:${unboundPort}`], timeoutMs: 3000 })),
    },
  });
  const s = senderd.services;
  tenantId = (await s.accounts.addTenant('acme')).id;
  const domain = await s.domains.add(tenantId, 'example.com');
  token = domain.token;
  await s.rotation.runOnce();

  // The signer: exactly the stanza senderd prints, with this machine's addresses.
  const knotDir = join(dir.path, 'knot');
  mkdirSync(knotDir);
  knot = await startKnot(
    knotDir,
    renderSignerStanza({
      keyName: KEY.name,
      algorithm: KEY.algorithm,
      secret: KEY.secret,
      zone: Z,
      primary: `127.0.0.1@${senderd.port}`,
      secondaries: ['127.0.0.1'],
      secondaryPort: nsdPort,
    }),
    knotPort,
  );
  let dnskeys: string[] = [];
  await until(
    'Knot signs the zone',
    async () => {
      const r = await run('dig', ['@127.0.0.1', '-p', String(knotPort), '+noall', '+answer', Z, 'DNSKEY']);
      dnskeys = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' '))
        .filter((l) => / DNSKEY 257 3 13 /.test(l));
      return dnskeys.length > 0;
    },
    () => knot.log(),
  );

  // The customer's zone: the CNAMEs of senderd's plan, signed. A second zone whose DS matches none of its keys.
  const plan = await s.domains.planFor(domain);
  const cnames = plan.customer
    .filter((r) => r.data.type === 'CNAME')
    .map((r) => `${r.name}. IN CNAME ${r.data.type === 'CNAME' ? r.data.target : ''}.`);
  assert.ok(cnames.some((l) => l.startsWith('sd1._domainkey.example.com.')));
  const zoneHead = (origin: string) => [
    `${origin}. IN SOA ns.${origin}. hostmaster.${origin}. 1 3600 600 86400 300`,
    `${origin}. IN NS ns.${origin}.`,
    `ns.${origin}. IN A 127.0.0.1`,
  ];
  const customer = await signZone(dir.path, 'example.com', [...zoneHead('example.com'), ...cnames]);
  const bogus = await signZone(dir.path, 'example.org', [
    ...zoneHead('example.org'),
    `_dmarc.example.org. IN CNAME ${token}.dmarc.${Z}.`,
  ]);
  const platformDs = await dsOf(dir.path, Z, dnskeys);
  const root = await signZone(dir.path, '.', [
    '. IN SOA a.root-servers.test. hostmaster.test. 1 3600 600 86400 300',
    '. IN NS a.root-servers.test.',
    'a.root-servers.test. IN A 127.0.0.1',
    'example.com. IN NS ns.example.com.',
    'ns.example.com. IN A 127.0.0.1',
    ...customer.ds,
    'example.org. IN NS ns.example.org.',
    'ns.example.org. IN A 127.0.0.1',
    // example.com's DS under example.org's name: a DS that matches none of example.org's keys.
    ...customer.ds.map((l) => l.replace(/^example\.com\./, 'example.org.')),
    `${Z}. IN NS ns1.${Z}.`,
    `ns1.${Z}. IN A 127.0.0.1`,
    ...platformDs,
  ]);
  assert.ok(bogus.ds.length > 0);

  // The public secondary: NSD serves the root, the customer zones, and the platform zone it takes from Knot.
  const nsdDir = join(dir.path, 'nsd');
  mkdirSync(nsdDir);
  nsd = await startNsdServer(
    nsdDir,
    [
      { name: '.', source: { zoneFile: root.file } },
      { name: 'example.com', source: { zoneFile: customer.file } },
      { name: 'example.org', source: { zoneFile: bogus.file } },
      { name: Z, source: { primaryPort: knotPort }, ixfr: true },
    ],
    nsdPort,
  );
  await until(
    'NSD serves the signed platform zone',
    () => secondaryHas('sd1'),
    () => nsd.log() + knot.log(),
  );
  unbound = await startUnbound(
    join(dir.path, 'unbound'),
    root.ksk,
    ['.', 'example.com', 'example.org', Z].map((zone) => ({ zone, port: nsdPort })),
    unboundPort,
  );
});

after(async () => {
  await unbound?.stop();
  await nsd?.stop();
  await knot?.stop();
  await senderd?.close();
  dir?.remove();
});

/** Asked through the validating resolver, with a fresh cache for the platform zone. */
async function resolve(name: string, type = 'TXT') {
  await unbound.control(['flush_zone', Z]);
  await unbound.control(['flush_bogus']);
  await unbound.control(['flush_negative']);
  return digFlags(unbound.port, name, type);
}

test('the customer DKIM CNAME resolves into the signed platform zone with AD, before and after a rotation', async () => {
  const [pending] = await senderd.services.store.dkim.listInZone();
  assert.equal(pending?.selector, 'sd1');
  const before = await resolve('sd1._domainkey.example.com');
  assert.equal(before.status, 'NOERROR', unbound.log());
  assert.ok(before.flags.includes('ad'), `AD: ${before.flags.join(' ')}`);
  assert.ok(before.answer.some((l) => l.includes(`CNAME ${dkimName('sd1')}.`)));
  assert.ok(
    before.answer.some((l) => l.includes(pending.publicKey.slice(0, 40))),
    'the key, through Knot',
  );

  // The scheduler activates the key once the validating resolver sees it, then rotates a period later.
  clock.advance(2 * DAY + 60_000);
  await senderd.services.rotation.runOnce();
  const seen = await probe.check('example.com', 'sd1', pending.publicKey);
  assert.equal((await senderd.services.store.dkim.listInZone())[0]?.state, 'active', JSON.stringify(seen));
  clock.advance(30 * DAY);
  await senderd.services.rotation.runOnce();
  const next = (await senderd.services.store.dkim.listInZone()).find((k) => k.id !== pending.id);
  assert.ok(next !== undefined && next.selector !== 'sd1', 'a new key in another selector');
  await until(
    `the public secondary serves ${next.selector}, signed`,
    () => secondaryHas(next.selector),
    () => knot.log() + nsd.log(),
  );
  assert.ok((await keysIn(next.selector)).length > 0);

  const after = await resolve(`${next.selector}._domainkey.example.com`);
  assert.equal(after.status, 'NOERROR', unbound.log());
  assert.ok(after.flags.includes('ad'), `AD after the rotation: ${after.flags.join(' ')}`);
  assert.ok(after.answer.some((l) => l.includes(next.publicKey.slice(0, 40))));
  const old = await resolve('sd1._domainkey.example.com');
  assert.ok(old.flags.includes('ad') && old.answer.some((l) => l.includes(pending.publicKey.slice(0, 40))));

  clock.advance(2 * DAY + 60_000);
  await senderd.services.rotation.runOnce();
  assert.equal(
    (await senderd.services.store.dkim.listInZone()).find((k) => k.id === next.id)?.state,
    'active',
    'the new key activated once the validating resolver saw it',
  );
});

test('names the platform zone does not have are proven absent (NSEC3), with AD', async () => {
  const missing = await resolve(`nothing.${token}.dkim.${Z}`);
  assert.equal(missing.status, 'NXDOMAIN');
  assert.ok(missing.flags.includes('ad'), missing.flags.join(' '));
  const proof = await digFlags(nsd.port, `nothing.${token}.dkim.${Z}`, 'TXT');
  assert.ok(
    proof.authority.some((l) => / NSEC3 1 0 0 - /.test(l)),
    proof.authority.join('\n'),
  );
  assert.ok(!proof.authority.some((l) => / NSEC /.test(l)), 'no NSEC chain to walk');
});

test('a chain that does not validate is refused, not given without AD', async () => {
  const bogus = await resolve('_dmarc.example.org');
  assert.equal(bogus.status, 'SERVFAIL');
  assert.ok(!bogus.flags.includes('ad'));
});
