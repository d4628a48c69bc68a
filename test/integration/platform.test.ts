/**
 * The whole platform at once, checked from the outside: a real node (DNS, gateway, HTTP, DKIM rotation, DMARC) on
 * 127.0.0.1, a real SMTP client and sink, and independent verifiers asking senderd's own DNS server.
 *
 * - Issue 4: at every rotation step, what the DNS server answers at each selector is exactly what the key states
 *   say (published, retired, revoked), and mail signed in each state verifies with dkimpy.
 * - Issue 5: mail submitted over STARTTLS with AUTH is signed, relayed, and passes DKIM (dkimpy and mailauth),
 *   SPF through the hosted bounce record, and aligned DMARC, both normally and during a rotation overlap.
 * - Issue 8: a DMARC step is answered by the DNS server within a second.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import nodemailer from 'nodemailer';
import { authenticate } from 'mailauth';
import { cryptoRandom, ManualClock } from '../../src/core/index.ts';
import { expectedDkimRecords, rewrapDkimKeys } from '../../src/dkim/index.ts';
import { prependNewKek, pruneOldKeks, rewrapPlatformSecrets } from '../../src/secrets/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import type { MailResolver } from '../../src/gateway/index.ts';
import { scriptedProbe } from '../dkim/support.ts';
import { startSink, type TestSink } from '../support/gateway.ts';
import { startTestNode, tempDir, type TestDir, type TestNode } from '../support/node.ts';
import { dkimpyThroughDns, receiverDns } from '../support/receiver-dns.ts';

const DAY = 86_400_000;
const ZONE = 'mail.example.net';
// The walk covers about 65 simulated days; it starts in the past so no signature carries a t= in the future.
const clock = new ManualClock(new Date(Date.now() - 90 * 86_400_000));
let node: TestNode;
let sink: TestSink;
let dir: TestDir;
let domain: SenderDomain;
let tenantId: string;
let smtp: { user: string; pass: string; port: number };
let dnsPort: number;

/** Recipients at recipient.test are delivered to the sink (its MX is 127.0.0.1; the port is gateway.delivery.mxPort). */
const toSink: MailResolver = {
  resolveMx: (d) =>
    Promise.resolve(
      d === 'recipient.test'
        ? { kind: 'answer', records: [{ exchange: 'mx.recipient.test', preference: 10 }] }
        : { kind: 'nxdomain' },
    ),
  resolveAddresses: (h) =>
    Promise.resolve(
      h === 'mx.recipient.test' ? { kind: 'answer', records: ['127.0.0.1'] } : { kind: 'nxdomain' },
    ),
};

const portOf = (name: string) =>
  Number(/:(\d+)$/.exec(node.node.components.find((c) => c.name === name)!.address)![1]);

before(async () => {
  dir = tempDir();
  sink = await startSink();
  node = await startTestNode({
    set: [
      'gateway.delivery.mode=mx',
      // The sink is the recipients' MX, on loopback.
      'gateway.delivery.allowPrivateDestinations=true',
      `gateway.delivery.mxPort=${sink.port}`,
      'platform.egressIps=127.0.0.1',
      'dkim.ed25519=false',
    ],
    // Visibility through the customer's CNAME is proven in test/dkim/visibility.test.ts; here every new key is seen.
    runtime: { clock, probe: scriptedProbe(), mailResolver: toSink },
  });
  dnsPort = portOf('dns');
  const tenant = await node.services.accounts.addTenant('acme');
  tenantId = tenant.id;
  domain = await node.services.domains.add(tenant.id, 'example.com');
  await node.services.store.domains.setVerified(
    domain.id,
    clock.now().toISOString(),
    clock.now().toISOString(),
  );
  const { credential, password } = await node.services.smtpCredentials.create(tenant.id, 'app');
  smtp = { user: credential.username, pass: password, port: portOf('gateway') };
});

after(async () => {
  await node?.close();
  await sink?.close();
  dir?.remove();
});

/** What senderd's DNS server answers for each selector name it should publish, after the change log is read. */
async function dnsMatchesKeyStates(what: string): Promise<Array<{ name: string; text: string }>> {
  const keys = await node.services.store.dkim.listInZoneByDomain(domain.id);
  const expected = expectedDkimRecords(domain.token, ZONE, keys);
  assert.ok(expected.length > 0, `${what}: some key is published`);
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  const deadline = Date.now() + 2000;
  for (;;) {
    const answers = await Promise.all(
      expected.map(async (e) => ({
        name: e.name,
        text: (await resolver.resolveTxt(e.name).catch(() => [[]]))[0]!.join(''),
      })),
    );
    if (JSON.stringify(answers) === JSON.stringify(expected)) return expected;
    if (Date.now() > deadline)
      assert.deepEqual(answers, expected, `${what}: the DNS server disagrees with the key states`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sendAndVerify(subject: string, signatures: number) {
  const before = sink.messages.length;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user: smtp.user, pass: smtp.pass },
  });
  await transport.sendMail({
    from: 'News <news@example.com>',
    to: 'reader@recipient.test',
    subject,
    text: `Hello, ${subject}.\n`,
  });
  transport.close();
  const [message] = (await sink.waitFor(before + 1, 15_000)).slice(before);
  assert.ok(message);
  const dns = receiverDns(dnsPort, ZONE, [await node.services.domains.planFor(domain)]);

  const dkimpy = await dkimpyThroughDns(message.data, dns, dir.path);
  assert.equal(dkimpy.length, signatures, JSON.stringify(dkimpy));
  for (const s of dkimpy) assert.ok(s.ok && s.domain === 'example.com', `dkimpy: ${JSON.stringify(s)}`);

  const result = await authenticate(message.data, {
    ip: '127.0.0.1',
    helo: message.helo,
    sender: message.mailFrom,
    mta: 'mx.recipient.test',
    resolver: (name: string, rrtype: string) => dns.resolve(name, rrtype),
  });
  assert.match(message.mailFrom, /@bounce\.example\.com$/, "VERP on the verified domain's bounce host");
  assert.equal(
    result.spf === false ? 'none' : result.spf.status.result,
    'pass',
    `SPF: ${JSON.stringify(result.spf)}`,
  );
  assert.equal(
    result.dkim.results.filter((r: { status: { result: string } }) => r.status.result === 'pass').length,
    signatures,
  );
  assert.equal(result.dmarc && result.dmarc.status.result, 'pass', `DMARC: ${JSON.stringify(result.dmarc)}`);
  assert.ok(
    result.dmarc && (result.dmarc.alignment.dkim.result || result.dmarc.alignment.spf.result),
    'aligned',
  );
  return dkimpy.map((s) => s.selector);
}

test('a new domain: the first key is published, then activated; the DNS server follows each state', async () => {
  await node.services.rotation.runOnce();
  const published = await dnsMatchesKeyStates('pending');
  assert.equal(published.length, 1);
  clock.advance(3 * DAY + 60_000); // the lead time
  await node.services.rotation.runOnce();
  const keys = await node.services.store.dkim.listInZoneByDomain(domain.id);
  assert.deepEqual(
    keys.map((k) => k.state),
    ['active'],
  );
  await dnsMatchesKeyStates('active');
});

test("mail through the gateway passes DKIM, SPF and aligned DMARC against senderd's own DNS server", async () => {
  assert.deepEqual(await sendAndVerify('one key', 1), ['sd1']);
});

test('during a rotation overlap both keys sign and both verify; afterwards the old key is retired, then revoked', async () => {
  // Walk to the next rotation: the new key is published ahead, then becomes active beside the retiring one.
  let overlap = false;
  for (let day = 0; day < 40 && !overlap; day++) {
    clock.advance(DAY);
    await node.services.rotation.runOnce();
    const states = (await node.services.store.dkim.listInZoneByDomain(domain.id)).map((k) => k.state).sort();
    await dnsMatchesKeyStates(`day ${day}: ${states.join(',')}`);
    overlap = states.includes('retiring');
  }
  assert.ok(overlap, 'reached the overlap window');
  const selectors = await sendAndVerify('rotation overlap', 2);
  assert.deepEqual([...selectors].sort(), ['sd1', 'sd2']);
  // Past the overlap the old key stops signing but stays published; past retention it is revoked (empty p=).
  const seen = new Set<string>();
  for (let day = 0; day < 20; day++) {
    clock.advance(DAY);
    await node.services.rotation.runOnce();
    for (const k of await node.services.store.dkim.listInZoneByDomain(domain.id)) seen.add(k.state);
    await dnsMatchesKeyStates(`after the overlap, day ${day}`);
  }
  assert.ok(seen.has('retired') && seen.has('revoked'), `states seen: ${[...seen].join(', ')}`);
  const revoked = (await node.services.store.dkim.listInZoneByDomain(domain.id)).find(
    (k) => k.state === 'revoked',
  );
  if (revoked !== undefined) {
    const answer = (await dnsMatchesKeyStates('revoked')).find((r) =>
      r.name.startsWith(`${revoked.selector}.`),
    );
    assert.match(answer!.text, /p=$/, 'a revoked key is published with an empty p= (RFC 6376 §3.6.1)');
  }
  assert.deepEqual(await sendAndVerify('after the rotation', 1), ['sd2']);
});

test('a DMARC step is answered by the DNS server within a second', async () => {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  const name = `${domain.token}.dmarc.${ZONE}`;
  const before = (await resolver.resolveTxt(name))[0]!.join('');
  assert.match(before, /^v=DMARC1; p=none;/);
  const started = Date.now();
  const view = await node.services.dmarc.step(tenantId, 'example.com', 'forward');
  let answer = before;
  while (answer !== view.record && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 20));
    answer = (await resolver.resolveTxt(name))[0]!.join('');
  }
  const took = Date.now() - started;
  assert.equal(answer, view.record);
  assert.ok(took < 1000, `the DNS server answered the new record after ${took} ms`);
});

test('a DSN that comes back to the VERP return path later, after a KEK rotation, becomes a bounce and an event; a forged one is refused', async () => {
  await sendAndVerify('will bounce later', 1);
  const sent = sink.messages[sink.messages.length - 1]!;
  const verp = sent.mailFrom;
  const messageId = /^b-([a-z2-7]+)-0-/.exec(verp)?.[1];
  assert.ok(messageId, `a VERP return path: ${verp}`);
  // The receiver accepted it, then found the mailbox gone: an RFC 3464 report to the return path, through its MX.
  const dsn = [
    'From: MAILER-DAEMON@mx.recipient.test',
    `To: ${verp}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'The mailbox is gone.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.recipient.test',
    '',
    'Final-Recipient: rfc822; reader@recipient.test',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <reader@recipient.test>: mailbox unavailable',
    '',
    '--b1--',
    '',
  ].join('\r\n');
  const inbound = nodemailer.createTransport({
    host: '127.0.0.1',
    port: portOf('inbound'),
    secure: false,
    ignoreTLS: true,
  });
  // Days pass and the operator rotates the key-encryption key (new key first, everything re-wrapped, the old key
  // dropped, as `senderd kek rotate` does): the return paths of mail sent before must still be recognised.
  const kekFile = node.config.secrets.kekFile;
  const oldKek = node.services.kek.keys().current.id;
  prependNewKek(kekFile, cryptoRandom);
  assert.equal((await rewrapDkimKeys(node.services.store.dkim, node.services.kek)).failed.length, 0);
  await node.services.events.rewrapSecrets();
  assert.equal(
    (await rewrapPlatformSecrets(node.services.store.platformSecrets, node.services.kek)).remaining,
    0,
  );
  assert.deepEqual(pruneOldKeks(kekFile), [oldKek]);
  assert.equal(node.services.kek.keys().byId.has(oldKek), false);
  await inbound.sendMail({ envelope: { from: '', to: [verp] }, raw: dsn });
  const bounces = await node.services.store.gateway.listBounces(tenantId, 10);
  const bounce = bounces.find((b) => b.messageId === messageId);
  assert.ok(bounce, JSON.stringify(bounces));
  assert.equal(bounce.reason, 'dsn');
  assert.equal(bounce.recipient, 'reader@recipient.test');
  assert.equal(bounce.code, 550);
  assert.match(bounce.reply, /^5\.1\.1 smtp; 550 5\.1\.1/);
  assert.deepEqual([bounce.class, bounce.rule, bounce.status], ['hard', 'status.bad-mailbox', '5.1.1']);
  // A hard bounce by DSN puts the recipient on the tenant's suppression list, with the DSN as the evidence.
  const suppressed = await node.services.suppressions.check(tenantId, 'reader@recipient.test');
  assert.deepEqual(
    [suppressed?.reason, suppressed?.source, suppressed?.messageId],
    ['hard-bounce', 'bounce', messageId],
  );
  assert.match(suppressed?.evidence ?? '', /^5\.1\.1 smtp; 550 5\.1\.1/);
  // The same DSN again (a retrying or duplicating relay, or a replay) is one bounce, and one event.
  await inbound.sendMail({ envelope: { from: '', to: [verp] }, raw: dsn });
  await inbound.sendMail({ envelope: { from: '', to: [verp] }, raw: dsn });
  const again = await node.services.store.gateway.listBounces(tenantId, 10);
  assert.equal(again.filter((b) => b.messageId === messageId && b.reason === 'dsn').length, 1);
  const events = await node.services.events.list(tenantId, { limit: 20 });
  const bounced = events.filter(
    (e) => e.type === 'gateway.message.bounced' && e.message.includes('bounced after delivery'),
  );
  assert.equal(bounced.length, 1);

  // A return path with a wrong MAC is not ours to take: nobody can forge bounces for mail we did not send.
  const forged = verp.replace(/-([a-z2-7]{8})@/, '-aaaaaaaa@');
  await assert.rejects(inbound.sendMail({ envelope: { from: '', to: [forged] }, raw: dsn }), /550/);
  inbound.close();
});
