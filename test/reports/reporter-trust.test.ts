/**
 * Reports that resist forgery, end to end with real parts: reports mailed through the real inbound SMTP listener,
 * DKIM-signed with a key published by a real NSD, whose zones also hold the reverse and forward names of the
 * clients. A report signed by the reporter's domain is `dkim`; one from a client whose name NSD forward-confirms
 * is `fcrdns`; an unsigned or wrongly signed one is `unverified`, counts for nothing in the autopilot's evidence,
 * and gives way to the genuine report when that arrives later with the same report id.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dkimSign } from 'mailauth';
import { createTransport } from 'nodemailer';
import { reportEvidenceSource, sourceClassifier } from '../../src/reports/index.ts';
import { startNsdServer, type Nsd } from '../support/nsd.ts';
import { startTestNode, tempDir, type TestDir, type TestNode } from '../support/node.ts';
import { Browser } from '../web/http-client.ts';

const REPORTER = 'reporter.example';
const SELECTOR = 'rua2026';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const P = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

let dir: TestDir;
let nsd: Nsd;
let t: TestNode;
let token: string;
let tenantId: string;

/** Splits a TXT value into character-strings of at most 255 octets (RFC 1035 §3.3.14). */
const txt = (value: string) => (value.match(/.{1,250}/g) ?? []).map((s) => `"${s}"`).join(' ');

before(async () => {
  dir = tempDir('senderd-reporter-trust-');
  const nsdDir = join(dir.path, 'nsd');
  mkdirSync(nsdDir);
  const soa = (zone: string) => `${zone}. 60 IN SOA ns.${REPORTER}. hostmaster.${REPORTER}. 1 60 60 600 60`;
  const reporterZone = join(nsdDir, 'reporter.zone');
  writeFileSync(
    reporterZone,
    [
      soa(REPORTER),
      `${REPORTER}. 60 IN NS ns.${REPORTER}.`,
      `ns.${REPORTER}. 60 IN A 127.0.0.1`,
      `${SELECTOR}._domainkey.${REPORTER}. 60 IN TXT ${txt(`v=DKIM1; k=rsa; p=${P}`)}`,
      `mta.${REPORTER}. 60 IN A 127.0.0.2`,
      // 127.0.0.3 claims a reporter name, but that name does not resolve back to it.
      `liar.${REPORTER}. 60 IN A 127.0.0.9`,
    ].join('\n') + '\n',
  );
  const reverseZone = join(nsdDir, 'reverse.zone');
  writeFileSync(
    reverseZone,
    [
      soa('0.0.127.in-addr.arpa'),
      `0.0.127.in-addr.arpa. 60 IN NS ns.${REPORTER}.`,
      `2.0.0.127.in-addr.arpa. 60 IN PTR mta.${REPORTER}.`,
      `3.0.0.127.in-addr.arpa. 60 IN PTR liar.${REPORTER}.`,
    ].join('\n') + '\n',
  );
  nsd = await startNsdServer(nsdDir, [
    { name: REPORTER, source: { zoneFile: reporterZone } },
    { name: '0.0.127.in-addr.arpa', source: { zoneFile: reverseZone } },
  ]);
  const dns = `127.0.0.1:${nsd.port}`;
  t = await startTestNode({
    set: [`resolvers.servers=${dns}`, 'reports.reverseDns.enabled=true', `reports.reverseDns.servers=${dns}`],
  });
  const tenant = await t.services.accounts.addTenant('acme');
  tenantId = tenant.id;
  token = (await t.services.domains.add(tenant.id, 'example.com', {})).token;
});

after(async () => {
  await t?.close();
  await nsd?.stop();
  dir?.remove();
});

function smtpPort(): number {
  const inbound = t.node.components.find((c) => c.name === 'inbound');
  assert.ok(inbound, 'the inbound component runs');
  return Number(new URL(inbound.address).port);
}

function report(id: string, sourceIp: string, count: number, begin: number, org: string): string {
  return `<?xml version="1.0"?><feedback><report_metadata><org_name>${org}</org_name>
<email>noreply-dmarc@${org}</email><report_id>${id}</report_id><date_range><begin>${begin}</begin>
<end>${begin + 86399}</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p>
</policy_published><record><row><source_ip>${sourceIp}</source_ip><count>${count}</count><policy_evaluated>
<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers>
<header_from>example.com</header_from></identifiers><auth_results><spf><domain>example.com</domain>
<result>pass</result></spf></auth_results></record></feedback>`;
}

/** A report mail as a reporter writes it (RFC 7489 §7.2.1.1). */
function message(id: string, sourceIp: string, count: number, begin = 1700000000, org = REPORTER): Buffer {
  const body = gzipSync(report(id, sourceIp, count, begin, org))
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: noreply-dmarc@${REPORTER}`,
      `To: ${token}@${t.services.platform.reportsHost}`,
      `Subject: Report Domain: example.com Submitter: ${REPORTER} Report-ID: ${id}`,
      `Message-ID: <${id}@${REPORTER}>`,
      'Date: Tue, 14 Nov 2023 22:13:20 +0000',
      'MIME-Version: 1.0',
      'Content-Type: application/gzip; name="report.xml.gz"',
      'Content-Transfer-Encoding: base64',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

async function signed(raw: Buffer): Promise<Buffer> {
  const key = { signingDomain: REPORTER, selector: SELECTOR, privateKey: PEM };
  const { signatures } = await dkimSign(raw, { ...key, signatureData: [key] });
  assert.match(signatures, /^DKIM-Signature:/);
  return Buffer.concat([Buffer.from(signatures), raw]);
}

async function send(raw: Buffer, from = '127.0.0.1'): Promise<string> {
  const info = await createTransport({
    host: '127.0.0.1',
    port: smtpPort(),
    secure: false,
    ignoreTLS: true,
    localAddress: from,
  }).sendMail({
    envelope: { from: `noreply-dmarc@${REPORTER}`, to: [`${token}@${t.services.platform.reportsHost}`] },
    raw,
  });
  return info.response;
}

async function stored(id: string) {
  const domain = await t.services.domains.get(tenantId, 'example.com');
  const rows = await t.services.store.reportStats.reports(domain.id, '2023-01-01', '2024-01-01', 100);
  return rows.filter((r) => r.externalId === id);
}

test('reporter trust: a report signed with DKIM by the reporter domain is verified by DKIM', async () => {
  assert.match(await send(await signed(message('signed-1', '192.0.2.1', 10))), /1 stored/);
  const [row] = await stored('signed-1');
  assert.equal(row?.trust, 'dkim');
  assert.equal(row?.verifiedDomain, REPORTER);
  assert.match(row?.trustReason ?? '', /d=reporter\.example verified/);
});

test('reporter trust: an unsigned report, or one whose body changed after signing, stays unverified', async () => {
  assert.match(await send(message('forged-1', '198.51.100.7', 500)), /1 stored/);
  const [unsigned] = await stored('forged-1');
  assert.equal(unsigned?.trust, 'unverified');
  assert.match(
    unsigned?.trustReason ?? '',
    /no DKIM signature; client 127\.0\.0\.1 has no forward-confirmed name/,
  );

  const genuine = await signed(message('tampered-1', '192.0.2.1', 10));
  const tampered = Buffer.from(
    genuine.toString('latin1').replace('Report-ID: tampered-1', 'Report-ID: x'),
    'latin1',
  );
  // The Subject is signed: the signature no longer verifies.
  assert.match(await send(tampered), /1 stored/);
  const [bad] = await stored('tampered-1');
  assert.equal(bad?.trust, 'unverified');
  assert.match(bad?.trustReason ?? '', /DKIM d=reporter\.example (fail|neutral)/);
});

test('reporter trust: a client whose reverse name is forward-confirmed in the reporter domain is verified', async () => {
  assert.match(await send(message('fcrdns-1', '192.0.2.1', 10), '127.0.0.2'), /1 stored/);
  const [row] = await stored('fcrdns-1');
  assert.equal(row?.trust, 'fcrdns');
  assert.match(row?.trustReason ?? '', /mta\.reporter\.example is in reporter\.example/);
  // A name that does not resolve back to the client proves nothing.
  assert.match(await send(message('liar-1', '192.0.2.1', 10), '127.0.0.3'), /1 stored/);
  assert.equal((await stored('liar-1'))[0]?.trust, 'unverified');
});

test('reporter trust: a forged report sent first gives way to the genuine one; the forged one never counts', async () => {
  // The forger sends a report with the genuine report id, claiming 900 failing... passing messages from its host.
  assert.match(await send(message('race-1', '203.0.113.66', 900)), /1 stored/);
  assert.equal((await stored('race-1'))[0]?.trust, 'unverified');
  const domain = await t.services.domains.get(tenantId, 'example.com');
  const evidence = reportEvidenceSource(t.services.store.reportStats, sourceClassifier([], []), {
    legacyTrustDays: 30,
    now: () => new Date(),
  });
  const window = [domain.id, new Date('2023-11-01T00:00:00Z'), new Date('2023-12-01T00:00:00Z')] as const;
  const before = await evidence.evidence(...window, { verifiedOnly: true });
  assert.ok(
    before.sources.every((s) => s.ip !== '203.0.113.66'),
    'an unverified report adds no source to the evidence',
  );
  assert.deepEqual(before.reporters, [REPORTER], 'counted by the verified domain, once');
  assert.ok((before.ignoredReports ?? 0) >= 3, `ignored ${before.ignoredReports}`);

  // The genuine report, same report id, signed: it replaces the forged one rather than being a duplicate.
  assert.match(await send(await signed(message('race-1', '192.0.2.1', 10))), /1 stored, 0 duplicate/);
  const rows = await stored('race-1');
  assert.deepEqual(
    rows.map((r) => [r.trust, r.messages]),
    [['dkim', 10]],
  );
  const sources = await t.services.store.reportStats.sources(domain.id, '2023-11-01', '2023-12-01', 100);
  assert.equal(
    sources.find((s) => s.sourceIp === '203.0.113.66')?.messages ?? 0,
    0,
    'the forged figures left the roll-ups',
  );
  // And once the genuine one is stored, the forgery is a duplicate.
  assert.match(await send(message('race-1', '203.0.113.66', 900)), /0 stored, 1 duplicate/);
});

test('reporter trust: the autopilot counts verified reporters only, and its stored decision says what it ignored', async () => {
  const begin = Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400;
  assert.match(await send(await signed(message('ap-real', '192.0.2.1', 10, begin))), /1 stored/);
  // Two forged "reporters" by name alone: before verification they made three reporters, enough for K = 2.
  assert.match(await send(message('ap-google', '192.0.2.1', 10, begin, 'google.com')), /1 stored/);
  assert.match(await send(message('ap-yahoo', '192.0.2.1', 10, begin, 'yahoo.com')), /1 stored/);
  await t.services.dmarc.update(tenantId, 'example.com', { autopilot: { enabled: true } });
  await t.services.dmarc.tick();
  const view = await t.services.dmarc.show(tenantId, 'example.com');
  const decision = view.decisions[0];
  assert.equal(decision?.actor, 'autopilot');
  assert.equal(decision?.action, 'hold');
  const reporters = decision?.checks.find((c) => c.name === 'reporters');
  assert.equal(reporters?.value, 1);
  assert.equal(reporters?.ok, false);
  assert.match(
    reporters?.explanation ?? '',
    /^1 verified reporters \(need 2\); 2 unverified reports ignored$/,
  );
});

test('reporter trust: an authenticated upload of a signed message is verified; of a bare file, only on trust=operator', async () => {
  const { key } = await t.services.accounts.createApiKey(tenantId, 'upload');
  const upload = async (body: Buffer, query = '') => {
    const response = await fetch(`${t.http}/v1/reports/upload${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
      body,
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { outcomes: Array<{ status: string; trust?: string }> }).outcomes;
  };
  assert.deepEqual(
    (await upload(await signed(message('up-signed', '192.0.2.1', 10)))).map((o) => [o.status, o.trust]),
    [['stored', 'dkim']],
  );
  const bare = Buffer.from(report('up-bare', '192.0.2.1', 10, 1700000000, REPORTER));
  assert.deepEqual(
    (await upload(bare)).map((o) => [o.status, o.trust]),
    [['stored', 'unverified']],
  );
  const trusted = Buffer.from(report('up-trusted', '192.0.2.1', 10, 1700000000, REPORTER));
  assert.deepEqual(
    (await upload(trusted, '?trust=operator')).map((o) => [o.status, o.trust]),
    [['stored', 'operator']],
  );
});

test('reporter trust: a member may upload, but only an owner may vouch for the reporters (403 and a sentence)', async () => {
  const password = 'correct horse battery staple';
  await t.services.accounts.addUser(tenantId, 'max@acme.example', password, 'member');
  await t.services.accounts.addUser(tenantId, 'ann@acme.example', password, 'owner');
  const upload = async (email: string, query: string, id: string) => {
    const b = new Browser(t.http);
    assert.equal((await b.signIn(email, password)).status, 200);
    const response = await fetch(`${t.http}/v1/reports/upload${query}`, {
      method: 'POST',
      headers: {
        cookie: b.cookie!,
        origin: t.http,
        'x-csrf-token': b.csrf!,
        'content-type': 'application/octet-stream',
      },
      body: report(id, '192.0.2.1', 10, 1700000000, REPORTER),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const refused = await upload('max@acme.example', '?trust=operator', 'member-trust');
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, /Only an owner of tenant acme can vouch for the reporters/);
  assert.deepEqual(await stored('member-trust'), [], 'nothing stored');
  const plain = await upload('max@acme.example', '', 'member-plain');
  assert.equal(plain.status, 200);
  assert.equal(plain.body.outcomes[0].trust, 'unverified');
  const owner = await upload('ann@acme.example', '?trust=operator', 'owner-trust');
  assert.equal(owner.body.outcomes[0].trust, 'operator');
});
