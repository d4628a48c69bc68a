import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DkimKey } from './model.ts';
import { planRotation, type PlannerFacts, type Transition } from './rotation-planner.ts';
import type { RotationPolicy } from './rotation-policy.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
const policy: RotationPolicy = {
  rotationPeriodMs: 30 * DAY,
  leadTimeMs: 3 * DAY,
  overlapMs: 2 * DAY,
  retentionMs: 7 * DAY,
  agingThresholdMs: 180 * DAY,
  ed25519: false,
  rsaBits: 2048,
};

function key(id: string, selector: string, state: DkimKey['state'], times: Partial<DkimKey> = {}): DkimKey {
  return {
    id,
    tenantId: 't',
    domainId: 'd',
    selector,
    algorithm: 'rsa',
    bits: 2048,
    origin: 'generated',
    state,
    publicKey: 'AAAA',
    fingerprint: id,
    createdAt: at(0),
    activatedAt: null,
    retiringAt: null,
    retiredAt: null,
    revokedAt: null,
    unpublishedAt: null,
    visibleAt: null,
    activationOverride: false,
    revokeReason: null,
    warnings: [],
    ...times,
  };
}

const facts = (visible: string[] = []): PlannerFacts => ({
  visible: new Set(visible),
  lastNotices: new Map(),
});
const plan = (keys: DkimKey[], day: number, f = facts(), enabled = true) =>
  planRotation(
    { algorithm: 'rsa', selectors: ['sd1', 'sd2', 'sd3'], keys, enabled },
    policy,
    new Date(at(day)),
    f,
  );

const cases: Array<{
  what: string;
  keys: DkimKey[];
  day: number;
  facts?: PlannerFacts;
  transitions: Transition[];
  notices?: string[];
}> = [
  {
    what: 'a new domain gets its first key at once',
    keys: [],
    day: 0,
    transitions: [{ kind: 'publish', selector: 'sd1', reason: 'initial' }],
  },
  {
    what: 'a pending key waits for the lead time even when visible',
    keys: [key('a', 'sd1', 'pending')],
    day: 2,
    facts: facts(['a']),
    transitions: [],
  },
  {
    what: 'after the lead time a visible key activates',
    keys: [key('a', 'sd1', 'pending')],
    day: 3,
    facts: facts(['a']),
    transitions: [{ kind: 'activate', keyId: 'a', via: 'visible' }],
  },
  {
    what: 'after the lead time an invisible key waits and the tenant is told',
    keys: [key('a', 'sd1', 'pending')],
    day: 4,
    transitions: [],
    notices: ['awaiting-visibility'],
  },
  {
    what: 'an operator override activates without visibility',
    keys: [key('a', 'sd1', 'pending', { activationOverride: true })],
    day: 3,
    transitions: [{ kind: 'activate', keyId: 'a', via: 'override' }],
  },
  {
    what: 'the next key is published lead time before the period ends',
    keys: [key('a', 'sd1', 'active', { activatedAt: at(3) })],
    day: 30,
    transitions: [{ kind: 'publish', selector: 'sd2', reason: 'scheduled' }],
  },
  {
    what: 'nothing happens mid-period',
    keys: [key('a', 'sd1', 'active', { activatedAt: at(3) })],
    day: 20,
    transitions: [],
  },
  {
    what: 'activation starts the overlap of the previous key, at the same instant',
    keys: [
      key('a', 'sd1', 'active', { activatedAt: at(3) }),
      key('b', 'sd2', 'pending', { createdAt: at(30) }),
    ],
    day: 33,
    facts: facts(['b']),
    transitions: [
      { kind: 'activate', keyId: 'b', via: 'visible' },
      { kind: 'start-retiring', keyId: 'a' },
    ],
  },
  {
    what: 'the overlap ends: the old key stops signing',
    keys: [
      key('a', 'sd1', 'retiring', { activatedAt: at(3), retiringAt: at(33) }),
      key('b', 'sd2', 'active', { activatedAt: at(33) }),
    ],
    day: 35,
    transitions: [{ kind: 'retire', keyId: 'a' }],
  },
  {
    what: 'the retention ends: the old key is revoked',
    keys: [
      key('a', 'sd1', 'retired', { retiredAt: at(35) }),
      key('b', 'sd2', 'active', { activatedAt: at(33) }),
    ],
    day: 42,
    transitions: [{ kind: 'revoke', keyId: 'a', reason: 'retention elapsed' }],
  },
  {
    what: 'a never-used selector comes before a revoked one',
    keys: [
      key('a', 'sd1', 'revoked', { revokedAt: at(42) }),
      key('b', 'sd2', 'active', { activatedAt: at(33) }),
    ],
    day: 60,
    transitions: [{ kind: 'publish', selector: 'sd3', reason: 'scheduled' }],
  },
  {
    what: 'no free selector blocks the rotation, and says so',
    keys: [
      key('a', 'sd1', 'retired', { retiredAt: at(58) }),
      key('b', 'sd2', 'retired', { retiredAt: at(59) }),
      key('c', 'sd3', 'active', { activatedAt: at(33) }),
    ],
    day: 60,
    transitions: [],
    notices: ['rotation-blocked'],
  },
  {
    what: 'imported keys do not rotate; they raise aging',
    keys: [key('a', 'sd1', 'active', { origin: 'imported', activatedAt: at(0) })],
    day: 181,
    transitions: [],
    notices: ['aging'],
  },
  {
    what: 'no active key after a signing key existed is critical, and a replacement is published',
    keys: [key('a', 'sd1', 'revoked', { activatedAt: at(3), revokedAt: at(10) })],
    day: 10,
    transitions: [{ kind: 'publish', selector: 'sd2', reason: 'replacement' }],
    notices: ['no-usable-key'],
  },
  {
    what: 'a disabled series winds down',
    keys: [key('a', 'sd1', 'active', { activatedAt: at(3) }), key('b', 'sd2', 'pending')],
    day: 5,
    transitions: [
      { kind: 'revoke', keyId: 'b', reason: 'series disabled before activation' },
      { kind: 'start-retiring', keyId: 'a' },
    ],
  },
];

for (const c of cases) {
  test(`planner: ${c.what}`, () => {
    const enabled = !c.what.includes('disabled');
    const result = plan(c.keys, c.day, c.facts ?? facts(), enabled);
    assert.deepEqual(result.transitions, c.transitions);
    assert.deepEqual(
      result.notices.map((n) => n.type),
      c.notices ?? [],
    );
  });
}

test('planner: a notice is not repeated within its interval', () => {
  const keys = [key('a', 'sd1', 'pending')];
  const first = plan(keys, 4);
  assert.equal(first.notices.length, 1);
  const again = plan(keys, 4.5, {
    visible: new Set(),
    lastNotices: new Map([[first.notices[0]!.key, at(4)]]),
  });
  assert.equal(again.notices.length, 0);
  const nextDay = plan(keys, 5, {
    visible: new Set(),
    lastNotices: new Map([[first.notices[0]!.key, at(4)]]),
  });
  assert.equal(nextDay.notices.length, 1);
});

test('planner: nextCheckAt is the next time-based rule', () => {
  const result = plan([key('a', 'sd1', 'active', { activatedAt: at(3) })], 10);
  assert.equal(result.nextCheckAt?.toISOString(), at(30));
});
