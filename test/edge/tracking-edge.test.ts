/**
 * The click host's tracking routes on the real edge, over TLS with certificates placed in the store (no CA):
 * Chromium follows a click URL and lands on the target; curl POSTs the one-click URL exactly as RFC 8058 §3.1
 * shows a receiver doing it; a GET shows a page and changes nothing; forged, altered and misplaced tokens get the
 * plain 404 and change nothing. Classification: a click 2 s after delivery and every link at once are a
 * scanner's; a later single click from Chromium is a person's. The business clock is a ManualClock, so the
 * "seconds after delivery" are exact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ManualClock } from '../../src/core/index.ts';
import { verifyWebhookSignature, type NewEvent } from '../../src/events/index.ts';
import { signLinkToken, type LinkClaims, type LinkTokenKeys } from '../../src/tracking/index.ts';
import { startTestNode, tempDir, type TestNode } from '../support/node.ts';
import { until } from '../support/senderd-process.ts';
import { run } from '../support/tools.ts';
import { edgeRequest, placeIssuedCertificate, portOf } from './edge-client.ts';

const HOST = 'clicks.example.com';
const OTHER_HOST = 'clicks.example.org';
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const START = new Date('2026-12-01T10:00:00.000Z');

let t: TestNode;
let https = 0;
let certFile = '';
let keys: LinkTokenKeys;
let tenantId = '';
let landing: Server;
let landingPort = 0;
const landed: string[] = [];
const hooks: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const clock = new ManualClock(START);
const events: NewEvent[] = [];

/** A message as the gateway stores it, from example.com, with these recipients, delivered at `deliveredAt`. */
async function storeMessage(id: string, domainId: string, recipients: string[], deliveredAt: Date) {
  const s = t.services;
  await s.store.gateway.insertMessages([
    {
      id,
      tenantId,
      domainId,
      senderDomain: 'example.com',
      headerFrom: 'news@example.com',
      submittedMailFrom: 'news@example.com',
      recipients: recipients.map((address) => ({ address, envelopeFrom: 'b@bounce.example.com' })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '192.0.2.1',
      credential: null,
      size: 1000,
      acceptedAt: deliveredAt.toISOString(),
      status: 'delivered',
      updatedAt: deliveredAt.toISOString(),
    },
  ]);
  await s.store.gateway.insertAttempts(
    recipients.map((recipient) => ({
      messageId: id,
      tenantId,
      recipient,
      at: deliveredAt.toISOString(),
      status: 'delivered' as const,
      code: 250,
      reply: '250 2.0.0 ok',
      host: 'mx.example.net',
      tls: true,
    })),
  );
}

const token = (claims: Partial<LinkClaims> & Pick<LinkClaims, 'kind' | 'messageId'>) =>
  signLinkToken(keys, { recipientId: '0', linkIndex: 0, url: '', ...claims });
const get = (path: string, host = HOST, headers: Record<string, string> = { 'user-agent': CHROME_UA }) =>
  edgeRequest({ port: https, host, path, headers, tls: { servername: host } });

let domainId = '';

before(async () => {
  t = await startTestNode({
    // The webhook receiver listens on 127.0.0.1.
    set: ['events.allowPrivateWebhooks=true'],
    runtime: { clock, events: { emit: (e) => Promise.resolve(void events.push(e)) } },
  });
  https = portOf(t.node, 'edge-https')!;
  const s = t.services;
  tenantId = (await s.accounts.addTenant('acme')).id;
  const domain = await s.domains.add(tenantId, 'example.com');
  const other = await s.domains.add(tenantId, 'example.org');
  domainId = domain.id;
  const now = new Date().toISOString();
  await s.store.edge.insertHost({ hostname: HOST, role: 'click', domainId: domain.id, tenantId, at: now });
  await s.store.edge.insertHost({
    hostname: OTHER_HOST,
    role: 'click',
    domainId: other.id,
    tenantId,
    at: now,
  });
  const cert = await placeIssuedCertificate(t.services, HOST, 'c1');
  await placeIssuedCertificate(t.services, OTHER_HOST, 'c2');
  certFile = join(t.config.dataDir, 'clicks.crt');
  writeFileSync(certFile, cert);
  await s.edge.changed();
  keys = await s.tracking.keys();
  // The landing page of the links, and (POST /hooks) the tenant's webhook receiver.
  landing = createServer((req, res) => {
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
      return;
    }
    landed.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Landed</title><h1>Shop</h1>');
  });
  await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
  landingPort = (landing.address() as AddressInfo).port;
});

after(async () => {
  landing?.close();
  await t?.close();
});

const suppressed = async (address: string) =>
  (await t.services.suppressions.list(tenantId, { contains: address, limit: 10, offset: 0 })).items;

test('a click redirects (302) to the signed URL; a HEAD redirects too and is not recorded', async () => {
  await storeMessage('m-click', domainId, ['reader@example.net'], new Date(START.getTime() - 3_600_000));
  const url = 'https://shop.example/spring?utm_source=news&q=%C3%BC';
  const click = await get(`/c/${token({ kind: 'click', messageId: 'm-click', url, linkIndex: 4 })}`);
  assert.equal(click.status, 302);
  assert.equal(click.headers.location, url);
  assert.equal(click.headers['cache-control'], 'no-store');
  const head = await edgeRequest({
    port: https,
    host: HOST,
    method: 'HEAD',
    path: `/c/${token({ kind: 'click', messageId: 'm-click', url, linkIndex: 4 })}`,
    tls: { servername: HOST },
  });
  assert.equal(head.status, 302);
  await t.services.tracking.service.settled();
  const stored = await t.services.tracking.service.events(tenantId, { messageId: 'm-click', limit: 10 });
  assert.equal(stored.length, 1, 'the GET only');
  assert.deepEqual(
    { ...stored[0], id: 0 },
    {
      id: 0,
      tenantId,
      domainId,
      senderDomain: 'example.com',
      messageId: 'm-click',
      recipientIndex: 0,
      kind: 'click',
      linkIndex: 4,
      url,
      at: START.toISOString(),
      clientNetwork: '127.0.0.0/24',
      userAgent: CHROME_UA,
      class: 'human',
      rule: 'none',
    },
  );
  const event = events.find((e) => e.type === 'tracking.click' && e.data['messageId'] === 'm-click');
  assert.equal(event?.data['recipient'], 'reader@example.net');
  assert.equal(event?.data['class'], 'human');
});

test('the open pixel is a 1×1 GIF, never cached, and the open is recorded', async () => {
  await storeMessage('m-open', domainId, ['reader@example.net'], new Date(START.getTime() - 3_600_000));
  const open = await get(`/o/${token({ kind: 'open', messageId: 'm-open' })}`);
  assert.equal(open.status, 200);
  assert.equal(open.headers['content-type'], 'image/gif');
  assert.equal(open.headers['cache-control'], 'no-store');
  const gif = Buffer.from(open.body, 'latin1');
  assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF89a');
  assert.deepEqual([gif.readUInt16LE(6), gif.readUInt16LE(8)], [1, 1], '1×1');
  await t.services.tracking.service.settled();
  const stored = await t.services.tracking.service.events(tenantId, { messageId: 'm-open', limit: 10 });
  assert.deepEqual(
    stored.map((e) => [e.kind, e.class]),
    [['open', 'human']],
  );
});

test('forged, altered, misplaced and unsafe tokens get the plain 404 and nothing is recorded', async () => {
  await storeMessage('m-bad', domainId, ['reader@example.net'], new Date(START.getTime() - 3_600_000));
  const good = token({ kind: 'click', messageId: 'm-bad', url: 'https://shop.example/' });
  const altered = `${good.slice(0, 20)}${good[20] === 'A' ? 'B' : 'A'}${good.slice(21)}`;
  const forged = signLinkToken(
    { current: { id: 1, secret: Buffer.alloc(32, 7) } },
    { kind: 'click', messageId: 'm-bad', recipientId: '0', linkIndex: 0, url: 'https://evil.example/' },
  );
  const cases: Array<[string, string, string]> = [
    ['altered byte', `/c/${altered}`, HOST],
    ['forged with another key', `/c/${forged}`, HOST],
    ['garbage', '/c/not-a-token!', HOST],
    ['an open token on /c/', `/c/${token({ kind: 'open', messageId: 'm-bad' })}`, HOST],
    [
      'unknown message',
      `/c/${token({ kind: 'click', messageId: 'm-none', url: 'https://shop.example/' })}`,
      HOST,
    ],
    [
      'recipient index past the list',
      `/c/${signLinkToken(keys, { kind: 'click', messageId: 'm-bad', recipientId: '1', linkIndex: 0, url: 'https://shop.example/' })}`,
      HOST,
    ],
    ["another domain's click host", `/c/${good}`, OTHER_HOST],
    [
      'a javascript: URL',
      `/c/${token({ kind: 'click', messageId: 'm-bad', url: 'javascript:alert(1)' })}`,
      HOST,
    ],
    ['a data: URL', `/c/${token({ kind: 'click', messageId: 'm-bad', url: 'data:text/html,x' })}`, HOST],
    ['a relative URL', `/c/${token({ kind: 'click', messageId: 'm-bad', url: '//evil.example/' })}`, HOST],
    ['a forged unsubscribe page', `/u/${forged}`, HOST],
  ];
  for (const [name, path, host] of cases) {
    const r = await get(path, host);
    assert.equal(r.status, 404, name);
    assert.equal(r.body, 'Not found\n', name);
    assert.equal(r.headers.location, undefined, name);
  }
  const good302 = await get(`/c/${good}`);
  assert.equal(good302.status, 302, 'the same token, unaltered, on its own host');
  await t.services.tracking.service.settled();
  assert.equal(
    (await t.services.tracking.service.events(tenantId, { messageId: 'm-bad', limit: 10 })).length,
    1,
  );
});

function curl(args: string[]) {
  return run('curl', [
    '--silent',
    '--show-error',
    '--cacert',
    certFile,
    '--resolve',
    `${HOST}:${https}:127.0.0.1`,
    '--write-out',
    '\n%{http_code}',
    ...args,
  ]);
}

test('RFC 8058 one-click: GET shows a page and changes nothing; curl POST unsubscribes once; again changes nothing', async () => {
  await storeMessage('m-unsub', domainId, ['first@example.net', 'Leaver@Example.NET'], START);
  const url = `https://${HOST}:${https}/u/${signLinkToken(keys, { kind: 'unsubscribe', messageId: 'm-unsub', recipientId: '1', linkIndex: 0, url: '' })}`;
  const page = await curl([url]);
  assert.equal(page.code, 0, page.stderr);
  assert.match(page.stdout, /<form method="post" action="\/u\/[A-Za-z0-9_-]+">/);
  assert.match(page.stdout, /name="List-Unsubscribe" value="One-Click"/);
  assert.match(page.stdout, /200$/);
  assert.deepEqual(await suppressed('leaver'), [], 'a GET changes nothing');
  // RFC 8058 §3.1, as curl sends it: POST, application/x-www-form-urlencoded, List-Unsubscribe=One-Click.
  const post = await curl(['-X', 'POST', '-d', 'List-Unsubscribe=One-Click', url]);
  assert.equal(post.code, 0, post.stderr);
  assert.match(post.stdout, /You are unsubscribed[\s\S]*200$/);
  const entries = await suppressed('leaver');
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.address, 'Leaver@example.net');
  assert.equal(entries[0]!.reason, 'unsubscribe');
  assert.equal(entries[0]!.source, 'one-click');
  assert.equal(entries[0]!.messageId, 'm-unsub');
  assert.match(entries[0]!.evidence, /RFC 8058 one-click POST .* from 127\.0\.0\.0\/24 for message m-unsub/);
  assert.deepEqual(await suppressed('first'), [], 'only the recipient the token names');
  const again = await curl(['-X', 'POST', '-F', 'List-Unsubscribe=One-Click', url]);
  assert.match(again.stdout, /200$/, 'multipart/form-data is a one-click request too');
  assert.equal((await suppressed('leaver')).length, 1, 'still one entry');
  const unsubscribes = events.filter((e) => e.type === 'gateway.recipient.unsubscribed');
  assert.equal(unsubscribes.length, 1, 'one event, for the POST that added it');
  assert.equal(unsubscribes[0]!.data['recipient'], 'Leaver@Example.NET');
  const audit = await t.services.suppressions.audit(tenantId, 'Leaver@example.net');
  assert.ok(audit.ok);
  assert.equal(audit.value.length, 1);
});

test('one-click: a forged token, a wrong body, or the wrong host changes nothing', async () => {
  await storeMessage('m-unsub2', domainId, ['stay@example.net'], START);
  const real = signLinkToken(keys, {
    kind: 'unsubscribe',
    messageId: 'm-unsub2',
    recipientId: '0',
    linkIndex: 0,
    url: '',
  });
  const forged = signLinkToken(
    { current: { id: 1, secret: Buffer.alloc(32, 9) } },
    { kind: 'unsubscribe', messageId: 'm-unsub2', recipientId: '0', linkIndex: 0, url: '' },
  );
  const forgedPost = await curl([
    '-X',
    'POST',
    '-d',
    'List-Unsubscribe=One-Click',
    `https://${HOST}:${https}/u/${forged}`,
  ]);
  assert.match(forgedPost.stdout, /Not found\n\n404$/);
  const wrongBody = await curl([
    '-X',
    'POST',
    '-d',
    'List-Unsubscribe=Yes',
    `https://${HOST}:${https}/u/${real}`,
  ]);
  assert.match(wrongBody.stdout, /400$/);
  const clickToken = await curl([
    '-X',
    'POST',
    '-d',
    'List-Unsubscribe=One-Click',
    `https://${HOST}:${https}/u/${token({ kind: 'click', messageId: 'm-unsub2', url: 'https://shop.example/' })}`,
  ]);
  assert.match(clickToken.stdout, /404$/, 'a click token is no unsubscribe token');
  const tooLarge = await curl([
    '-X',
    'POST',
    '--data-binary',
    `List-Unsubscribe=One-Click&x=${'a'.repeat(10_000)}`,
    `https://${HOST}:${https}/u/${real}`,
  ]);
  assert.match(tooLarge.stdout, /413$/);
  assert.deepEqual(await suppressed('stay'), []);
});

test('classification: a click 2 s after delivery and every link at once are a scanner; a later single click from Chromium is a person', async () => {
  // Delivered 2 s before the click.
  await storeMessage('m-fast', domainId, ['fast@example.net'], new Date(clock.now().getTime() - 2_000));
  const fast = await get(
    `/c/${token({ kind: 'click', messageId: 'm-fast', url: 'https://shop.example/a' })}`,
  );
  assert.equal(fast.status, 302, 'a scanner still gets its redirect');
  // Every link of one message at once, an hour after delivery.
  await storeMessage('m-burst', domainId, ['burst@example.net'], new Date(clock.now().getTime() - 3_600_000));
  for (const linkIndex of [0, 1, 2, 3]) {
    const r = await get(
      `/c/${token({ kind: 'click', messageId: 'm-burst', linkIndex, url: `https://shop.example/${linkIndex}` })}`,
    );
    assert.equal(r.status, 302);
    clock.advance(200);
  }
  await t.services.tracking.service.settled();
  const service = t.services.tracking.service;
  assert.deepEqual(
    (await service.events(tenantId, { messageId: 'm-fast', limit: 10 })).map((e) => [e.class, e.rule]),
    [['scanner', 'soon-after-delivery']],
  );
  assert.deepEqual(
    (await service.events(tenantId, { messageId: 'm-burst', limit: 10 })).map((e) => [e.linkIndex, e.class]),
    [
      [3, 'scanner'],
      [2, 'scanner'],
      [1, 'scanner'],
      [0, 'scanner'],
    ],
    'the first clicks of the burst are reclassified',
  );
  // Chromium, a minute later, follows one link of a message delivered an hour ago, and lands on the target.
  clock.advance(60_000);
  await storeMessage(
    'm-human',
    domainId,
    ['person@example.net'],
    new Date(clock.now().getTime() - 3_600_000),
  );
  const target = `http://shop.example:${landingPort}/landing?utm_campaign=spring&id=42`;
  const clickUrl = `https://${HOST}:${https}/c/${token({ kind: 'click', messageId: 'm-human', url: target, linkIndex: 1 })}`;
  const profile = tempDir('senderd-chromium-');
  const browser = await chromium.launchPersistentContext(profile.path, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP shop.example 127.0.0.1`,
    ],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const response = await page.goto(clickUrl);
    assert.equal(response?.status(), 200);
    assert.equal(page.url(), target);
    assert.equal(await page.title(), 'Landed');
    assert.deepEqual(
      landed.filter((p) => p !== '/favicon.ico'),
      ['/landing?utm_campaign=spring&id=42'],
    );
  } finally {
    await browser.close();
    profile.remove();
  }
  await service.settled();
  const human = await service.events(tenantId, { messageId: 'm-human', limit: 10 });
  assert.deepEqual(
    human.map((e) => [e.kind, e.linkIndex, e.url, e.class, e.rule]),
    [['click', 1, target, 'human', 'none']],
  );
  assert.match(human[0]!.userAgent, /Chrome\//);
  const links = await service.messageLinks(tenantId, 'm-burst');
  assert.equal(links.length, 4);
  assert.ok(links.every((l) => l.unique.human === 0 && l.unique.scanner === 1));
});

test('clicks, opens and unsubscribes reach the tenant’s webhook as tracking.* events, signed', async () => {
  const s = t.services;
  const { webhookSecret } = await s.events.setNotifications(tenantId, {
    webhookUrl: `http://127.0.0.1:${landingPort}/hooks`,
  });
  await storeMessage('m-hook', domainId, ['hooked@example.net'], new Date(clock.now().getTime() - 3_600_000));
  assert.equal(
    (await get(`/c/${token({ kind: 'click', messageId: 'm-hook', url: 'https://shop.example/h' })}`)).status,
    302,
  );
  assert.equal((await get(`/o/${token({ kind: 'open', messageId: 'm-hook' })}`)).status, 200);
  const unsubscribe = await curl([
    '-X',
    'POST',
    '-d',
    'List-Unsubscribe=One-Click',
    `https://${HOST}:${https}/u/${token({ kind: 'unsubscribe', messageId: 'm-hook' })}`,
  ]);
  assert.match(unsubscribe.stdout, /200$/);
  await s.tracking.service.settled();
  // The node's own delivery worker may take some; runOnce takes the rest.
  await until('three webhook requests', 20_000, async () => {
    await s.delivery.runOnce();
    return hooks.length >= 3 ? true : undefined;
  });
  const byType = new Map(hooks.map((h) => [String(h.headers['senderd-event-type']), h]));
  assert.deepEqual([...byType.keys()].sort(), [
    'gateway.recipient.unsubscribed',
    'tracking.click',
    'tracking.open',
  ]);
  const click = byType.get('tracking.click')!;
  const now = Math.floor(clock.now().getTime() / 1000);
  assert.ok(
    verifyWebhookSignature(String(click.headers['senderd-signature']), click.body, webhookSecret!, now),
  );
  const body = JSON.parse(click.body) as { data: Record<string, unknown> };
  assert.equal(body.data['recipient'], 'hooked@example.net');
  assert.equal(body.data['url'], 'https://shop.example/h');
  assert.equal(body.data['class'], 'human');
});
