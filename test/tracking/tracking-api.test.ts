/**
 * Tracking's figures through the API and the CLI, over a real node: per day delivered (from the gateway's
 * attempts), unique opens and clicks by class, links by people's clicks, a message's top links, the events. Two
 * tenants with the same domain name: each sees only its own, and another tenant's domain is 404.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrackingEvent } from '../../src/tracking/index.ts';
import { cliInDataDir } from '../support/cli.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let t: TestNode;
let alphaKey = '';
let betaKey = '';
let alphaId = '';
let alphaDomain = '';
let betaId = '';
let betaDomain = '';

const DAY = '2026-12-01';

async function call(path: string, key: string) {
  const res = await fetch(`${t.http}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

function visit(more: Partial<TrackingEvent>): TrackingEvent {
  return {
    tenantId: alphaId,
    domainId: alphaDomain,
    senderDomain: 'example.com',
    messageId: 'm-a',
    recipientIndex: 0,
    kind: 'click',
    linkIndex: 0,
    url: 'https://shop.example/a',
    at: `${DAY}T10:00:00.000Z`,
    clientNetwork: '198.51.100.0/24',
    userAgent: 'Mozilla/5.0',
    class: 'human',
    rule: 'none',
    ...more,
  };
}

before(async () => {
  t = await startTestNode();
  const s = t.services;
  const alpha = await s.accounts.addTenant('alpha');
  const beta = await s.accounts.addTenant('beta');
  alphaId = alpha.id;
  betaId = beta.id;
  alphaKey = (await s.accounts.createApiKey(alpha.id, 'test')).key;
  betaKey = (await s.accounts.createApiKey(beta.id, 'test')).key;
  alphaDomain = (await s.domains.add(alpha.id, 'example.com')).id;
  betaDomain = (await s.domains.add(beta.id, 'example.com')).id;
  await s.store.gateway.insertMessages([
    {
      id: 'm-a',
      tenantId: alphaId,
      domainId: alphaDomain,
      senderDomain: 'example.com',
      headerFrom: 'news@example.com',
      submittedMailFrom: 'news@example.com',
      recipients: ['a@example.net', 'b@example.net', 'c@example.net'].map((address) => ({
        address,
        envelopeFrom: 'b@bounce.example.com',
      })),
      signatures: [],
      signingDecision: 'signed',
      clientAddress: '192.0.2.1',
      credential: null,
      size: 1000,
      acceptedAt: `${DAY}T09:00:00.000Z`,
      status: 'delivered',
      updatedAt: `${DAY}T09:00:00.000Z`,
    },
  ]);
  await s.store.gateway.insertAttempts(
    ['a@example.net', 'b@example.net', 'c@example.net'].map((recipient) => ({
      messageId: 'm-a',
      tenantId: alphaId,
      recipient,
      at: `${DAY}T09:00:01.000Z`,
      status: 'delivered' as const,
      code: 250,
      reply: '250 ok',
      host: 'mx.example.net',
      tls: true,
    })),
  );
  const r = s.store.tracking;
  await r.insert(visit({ kind: 'open', url: '' }));
  await r.insert(
    visit({ kind: 'open', url: '', recipientIndex: 1, class: 'privacy-proxy', rule: 'gmail-image-proxy' }),
  );
  await r.insert(visit({}));
  await r.insert(visit({ at: `${DAY}T10:05:00.000Z` }));
  await r.insert(visit({ recipientIndex: 1, linkIndex: 1, url: 'https://shop.example/b' }));
  await r.insert(
    visit({
      recipientIndex: 2,
      linkIndex: 1,
      url: 'https://shop.example/b',
      class: 'scanner',
      rule: 'barracuda',
      at: `${DAY}T10:06:00.000Z`,
    }),
  );
  // Beta's own domain of the same name, with one click of its own.
  await r.insert(
    visit({ tenantId: betaId, domainId: betaDomain, messageId: 'm-b', url: 'https://beta.example/' }),
  );
});

after(async () => {
  await t?.close();
});

test('GET /v1/domains/{domain}/tracking: delivered, unique opens and clicks by class, links by people', async () => {
  const r = await call(`/v1/domains/example.com/tracking?from=${DAY}&to=${DAY}`, alphaKey);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json, {
    domain: 'example.com',
    from: DAY,
    to: DAY,
    totals: {
      delivered: 3,
      opens: { human: 1, 'privacy-proxy': 1, scanner: 0 },
      clicks: { human: 2, 'privacy-proxy': 0, scanner: 1 },
    },
    days: [
      {
        day: DAY,
        delivered: 3,
        opens: { human: 1, 'privacy-proxy': 1, scanner: 0 },
        clicks: { human: 2, 'privacy-proxy': 0, scanner: 1 },
      },
    ],
    links: [
      {
        url: 'https://shop.example/a',
        linkIndex: null,
        unique: { human: 1, 'privacy-proxy': 0, scanner: 0 },
        humanClicks: 2,
      },
      {
        url: 'https://shop.example/b',
        linkIndex: null,
        unique: { human: 1, 'privacy-proxy': 0, scanner: 1 },
        humanClicks: 1,
      },
    ],
  });
  const bad = await call(`/v1/domains/example.com/tracking?from=${DAY}&to=2026-11-01`, alphaKey);
  assert.equal(bad.status, 400);
});

test('tenant isolation: the same domain name in another tenant shows only that tenant’s events', async () => {
  const beta = await call(`/v1/domains/example.com/tracking?from=${DAY}&to=${DAY}`, betaKey);
  assert.equal(beta.status, 200);
  assert.equal(beta.json.totals.delivered, 0);
  assert.deepEqual(beta.json.totals.clicks, { human: 1, 'privacy-proxy': 0, scanner: 0 });
  assert.deepEqual(
    beta.json.links.map((l: { url: string }) => l.url),
    ['https://beta.example/'],
  );
  const events = await call('/v1/domains/example.com/tracking/events', betaKey);
  assert.deepEqual(
    events.json.events.map((e: { messageId: string }) => e.messageId),
    ['m-b'],
  );
  const message = await call('/v1/messages/m-a/tracking', betaKey);
  assert.deepEqual(message.json, { messageId: 'm-a', links: [] }, "alpha's message shows beta nothing");
  await t.services.domains.add(alphaId, 'example.org');
  const other = await call('/v1/domains/example.org/tracking', betaKey);
  assert.equal(other.status, 404, "another tenant's domain is not found");
});

test('GET /v1/messages/{id}/tracking: the top links of a message; events list with class and rule', async () => {
  const r = await call('/v1/messages/m-a/tracking', alphaKey);
  assert.deepEqual(
    r.json.links.map((l: { linkIndex: number; unique: { human: number }; humanClicks: number }) => [
      l.linkIndex,
      l.unique.human,
      l.humanClicks,
    ]),
    [
      [0, 1, 2],
      [1, 1, 1],
    ],
  );
  const events = await call('/v1/domains/example.com/tracking/events?messageId=m-a&limit=2', alphaKey);
  assert.equal(events.json.events.length, 2);
  assert.equal(events.json.events[0].class, 'scanner');
  assert.equal(events.json.events[0].rule, 'barracuda');
  assert.equal(events.json.events[0].clientNetwork, '198.51.100.0/24');
});

test('senderd tracking stats, links and events', async () => {
  const cli = cliInDataDir(
    t.config.dataDir,
    t.config.store.driver === 'postgres'
      ? ['store.driver=postgres', `store.postgresUrl=${t.config.store.postgresUrl}`]
      : [],
  );
  const stats = await cli(
    'tracking',
    'stats',
    'example.com',
    '--tenant',
    'alpha',
    '--from',
    DAY,
    '--to',
    DAY,
  );
  assert.equal(stats.code, 0, stats.err);
  assert.match(stats.out, new RegExp(`${DAY}\\s+3\\s+1\\s+1\\s+0\\s+2\\s+1`));
  assert.match(stats.out, /Open rate \(people\): 33\.3%/);
  assert.match(stats.out, /1\s+2\s+0\s+https:\/\/shop\.example\/a/);
  const json = await cli(
    'tracking',
    'stats',
    'example.com',
    '--tenant',
    'beta',
    '--from',
    DAY,
    '--to',
    DAY,
    '--json',
  );
  assert.equal(json.code, 0, json.err);
  assert.equal((JSON.parse(json.out) as { totals: { delivered: number } }).totals.delivered, 0);
  const links = await cli('tracking', 'links', 'm-a', '--tenant', 'alpha');
  assert.match(links.out, /#0 https:\/\/shop\.example\/a/);
  const none = await cli('tracking', 'links', 'm-a', '--tenant', 'beta');
  assert.match(none.out, /No clicks on message m-a/);
  const events = await cli('tracking', 'events', 'example.com', '--tenant', 'alpha', '--limit', '1');
  assert.match(events.out, /click\s+scanner\s+barracuda/);
});
