/**
 * Named senders through the API (issue 21): a real node on 127.0.0.1, a real aggregate report uploaded through
 * POST /v1/reports/upload, and GET /v1/reports/domains/{domain}/sources naming each source after the catalogue
 * with its authentication and the one fix. Another tenant sees none of it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode, type TestNode } from '../support/node.ts';
import { NAMED_SOURCES, PLATFORM_IP, seedNamedSenders } from '../reports/named-senders-report.ts';

const DOMAIN = 'shop.com';
let t: TestNode;
let alphaKey = '';
let betaKey = '';

interface Sender {
  service: { id: string; name: string; source: string } | null;
  confidence: string | null;
  matchedBy: string[];
  dmarc: string;
  dkimAligned: string;
  spfAligned: string;
  note: string | null;
  fix: {
    kind: string;
    action: string;
    mechanism: string | null;
    records: { type: string; name: string; value: string }[];
  } | null;
}
interface Source {
  sourceIp: string;
  class: string;
  sender: Sender | null;
}

before(async () => {
  t = await startTestNode({ set: [`platform.egressIps=${PLATFORM_IP}`] });
  const alpha = await t.services.accounts.addTenant('alpha');
  const beta = await t.services.accounts.addTenant('beta');
  betaKey = (await t.services.accounts.createApiKey(beta.id, 'test')).key;
  await t.services.domains.add(alpha.id, DOMAIN);
  alphaKey = await seedNamedSenders(t, alpha.id, DOMAIN);
});

after(async () => {
  await t?.close();
});

const sources = async (key: string) =>
  fetch(`${t.http}/v1/reports/domains/${DOMAIN}/sources`, { headers: { authorization: `Bearer ${key}` } });

test('each source is named, with how it authenticates and the one fix', async () => {
  const r = await sources(alphaKey);
  assert.equal(r.status, 200);
  const body = (await r.json()) as { sources: Source[] };
  const by = (ip: string) => body.sources.find((s) => s.sourceIp === ip)!;

  const platform = by(NAMED_SOURCES.platform);
  assert.equal(platform.class, 'platform');
  assert.equal(platform.sender, null, 'the platform is not a third-party sender');

  const google = by(NAMED_SOURCES.google).sender!;
  assert.equal(google.service?.name, 'Google Workspace');
  assert.equal(google.confidence, 'strong');
  assert.deepEqual([google.dmarc, google.dkimAligned, google.spfAligned], ['none', 'none', 'none']);
  assert.equal(google.fix?.kind, 'spf-include');
  assert.equal(google.fix?.mechanism, 'include:_spf.google.com');
  assert.match(google.fix?.action ?? '', /\(senderd domain set shop\.com --spf include:_spf\.google\.com\)/);
  assert.ok(google.matchedBy.includes('reverse name mail-wr1-f54.google.com (forward-confirmed)'));
  // google.com is a default known forwarder: the fix comes with a caution.
  assert.equal(by(NAMED_SOURCES.google).class, 'forwarder');
  assert.match(google.note ?? '', /also a known forwarder/);
  assert.equal(by(NAMED_SOURCES.sendgrid).sender?.note, null);

  const sendgrid = by(NAMED_SOURCES.sendgrid).sender!;
  assert.equal(sendgrid.service?.name, 'Twilio SendGrid');
  assert.equal(sendgrid.fix?.kind, 'dkim-cname');
  assert.deepEqual(
    sendgrid.fix?.records.map((x) => `${x.name} ${x.type} ${x.value}`),
    [
      's1._domainkey.shop.com CNAME s1.domainkey.<u-account>.<wl-number>.sendgrid.net',
      's2._domainkey.shop.com CNAME s2.domainkey.<u-account>.<wl-number>.sendgrid.net',
    ],
  );

  const zendesk = by(NAMED_SOURCES.zendesk).sender!;
  assert.equal(zendesk.service?.name, 'Zendesk');
  assert.deepEqual([zendesk.dmarc, zendesk.dkimAligned, zendesk.spfAligned], ['all', 'all', 'none']);
  assert.equal(zendesk.fix, null, 'it passes: nothing to do');

  const spoofer = by(NAMED_SOURCES.spoofer).sender!;
  assert.equal(spoofer.service, null);
  assert.equal(spoofer.fix, null, 'no record makes a stranger pass');
});

test('another tenant sees no sources of this domain', async () => {
  const r = await sources(betaKey);
  assert.equal(r.status, 404);
});

test('the OpenAPI document describes the named sender', async () => {
  const doc = (await (await fetch(`${t.http}/openapi.json`)).json()) as {
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
  assert.ok(doc.components.schemas.ReportSource?.properties?.sender);
  assert.ok(doc.components.schemas.NamedSender?.properties?.fix);
});
