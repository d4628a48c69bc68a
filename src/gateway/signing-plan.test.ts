import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ManualClock, quietLogger } from '../core/index.ts';
import { dkimSigner, type SigningKey } from '../dkim/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { senderDomain } from '../../test/support/sender-domains.ts';
import type { NewEvent } from '../events/index.ts';
import { GatewayAlerts } from './gateway-alerts.ts';
import { intakeReply } from './intake-refusal.ts';
import { SenderDomainCache } from './sender-domain-cache.ts';
import { SigningPlanner, type SigningPlanSettings } from './signing-plan.ts';

const KEY: SigningKey = {
  keyId: 'k1',
  selector: 'sd1',
  algorithm: 'ed25519-sha256',
  privateKey: generateKeyPairSync('ed25519').privateKey,
};

const domain = (name: string, tenantId: string, verified = true) =>
  senderDomain(name, { tenantId, verified });

const DOMAINS = [
  domain('example.com', 't1'),
  domain('keyless.example', 't1'),
  domain('new.example', 't1', false),
  domain('brand.example', 'operator'),
];
const WITH_KEYS = new Set(['example.com', 'brand.example']);

function planner(settings: Partial<SigningPlanSettings> = {}) {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  const events: NewEvent[] = [];
  const log = quietLogger();
  const plans = new SigningPlanner({
    settings: {
      unmatched: 'unsigned',
      platformDomain: '',
      platformBounceDomain: 'bounce.mail.example.net',
      platformZone: 'mail.example.net',
      ...settings,
    },
    domains: new SenderDomainCache(
      {
        listByTenant: (t) => Promise.resolve(DOMAINS.filter((d) => d.tenantId === t)),
        listAll: () => Promise.resolve(DOMAINS),
      },
      clock,
    ),
    signer: dkimSigner({ keysFor: (d) => Promise.resolve(WITH_KEYS.has(d.name) ? [KEY] : []) }),
    alerts: new GatewayAlerts({ emit: (e) => Promise.resolve(void events.push(e)) }, clock, log),
    log,
    organizationalDomain: (name) => name.split('.').slice(-2).join('.'),
  });
  return { plans, events, clock };
}

const CASES: Array<{
  why: string;
  from: string;
  settings?: Partial<SigningPlanSettings>;
  signs?: string | null;
  decision?: RegExp;
  reply?: string;
  event?: string;
}> = [
  {
    why: 'a verified sender domain signs as itself, for its subdomains too',
    from: 'news.example.com',
    signs: 'example.com',
    decision: /^Signed as example\.com, the sender domain matching news\.example\.com\.$/,
  },
  {
    why: 'a verified domain without a key that signs now is deferred, with a critical event',
    from: 'keyless.example',
    reply: '451 4.7.0 No DKIM key is ready for keyless.example; try again later.',
    event: 'gateway.signing.no_key',
  },
  {
    why: 'a domain not verified yet is not signed as itself',
    from: 'new.example',
    signs: null,
    decision:
      /The sender domain new\.example is not verified yet; left unsigned \(gateway\.signing\.unmatched\)\./,
  },
  {
    why: 'unmatched mail is signed as the platform domain when asked',
    from: 'other.example',
    settings: { unmatched: 'platform', platformDomain: 'brand.example' },
    signs: 'brand.example',
    decision:
      /No sender domain of this tenant matches other\.example; signed as the platform domain brand\.example\./,
  },
  {
    why: 'unmatched mail with no verified platform domain is deferred',
    from: 'other.example',
    settings: { unmatched: 'platform', platformDomain: 'missing.example' },
    reply: '451 4.7.0 No signing key is ready for this sender; try again later.',
    event: 'gateway.signing.no_platform_domain',
  },
  {
    why: "an unmatched author in the operator's organisational domain is refused",
    from: 'ceo.example.net',
    reply:
      "554 5.7.1 The From domain ceo.example.net belongs to the organisational domain example.net of this platform's bounce domain bounce.mail.example.net",
    event: 'gateway.signing.operator_domain_refused',
  },
];

for (const c of CASES) {
  test(`signing plan: ${c.why}`, async () => {
    const { plans, events } = planner(c.settings);
    const plan = await plans.plan('t1', c.from as DomainName);
    if (c.reply !== undefined) {
      assert.equal(plan.ok, false);
      if (plan.ok) return;
      const reply = intakeReply(plan.error);
      assert.ok(`${reply.code} ${reply.enhanced} ${reply.text}`.startsWith(c.reply), reply.text);
    } else {
      assert.ok(plan.ok, JSON.stringify(plan));
      assert.equal(plan.value.signingDomain?.name ?? null, c.signs);
      assert.match(plan.value.decision, c.decision!);
    }
    assert.deepEqual(
      events.map((e) => e.type),
      c.event === undefined ? [] : [c.event],
    );
  });
}

test('signing plan: a condition that lasts is raised once per 10 minutes, not once per message', async () => {
  const { plans, events, clock } = planner();
  for (let i = 0; i < 3; i++) await plans.plan('t1', 'keyless.example' as DomainName);
  assert.equal(events.length, 1);
  clock.advance(10 * 60_000);
  await plans.plan('t1', 'keyless.example' as DomainName);
  assert.equal(events.length, 2);
});
