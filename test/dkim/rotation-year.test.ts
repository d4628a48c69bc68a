import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import { expectedDkimRecords, type DkimKey } from '../../src/dkim/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import { openTestServices } from '../support/node.ts';
import { hostedDkimRecords, keyPool, scriptedProbe } from './support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEAD = 3 * DAY;
const OVERLAP = 2 * DAY;
const RETENTION = 7 * DAY;
const STEP = 6 * HOUR;

/**
 * A simulated year: 100 domains, monthly rotation, the real scheduler, store (SQLite) and signer cache under an
 * injected clock. One domain in ten has a slow customer resolver (the new key is seen a day late). After every
 * step the invariants are checked over the whole timeline, and the records the zone would serve are
 * compared with the key states.
 */
test('a simulated year: 100 domains, 12 rotations each, invariants hold at every step', async () => {
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  const firstAsked = new Map<string, number>();
  const slow = (domain: string) => Number(/^d(\d+)\./.exec(domain)?.[1] ?? 0) % 10 === 0;
  const probe = scriptedProbe((domain, selector, publicKey) => {
    const key = `${domain}/${selector}/${publicKey}`;
    const first = firstAsked.get(key) ?? clock.now().getTime();
    firstAsked.set(key, first);
    return !slow(domain) || clock.now().getTime() - first >= DAY;
  });
  const s = await openTestServices({
    set: [
      'dkim.rotationPeriod=30d',
      'dkim.leadTime=3d',
      'dkim.overlap=2d',
      'dkim.retention=7d',
      'platform.ttl=3600',
    ],
    runtime: { clock, keygen: keyPool(8), probe },
  });
  try {
    const tenant = await s.accounts.addTenant('sim');
    const domains: SenderDomain[] = [];
    for (let i = 0; i < 100; i++) {
      domains.push(await s.domains.add(tenant.id, `d${i}.example.com`));
      if (i % 10 === 9) clock.advance(5 * HOUR); // staggered sign-ups over the first two days
    }
    const start = clock.now().getTime();
    const end = start + 372 * DAY;
    /** Last instant each key was handed to the signer. */
    const lastSigned = new Map<string, number>();
    const everActive = new Set<string>();
    let steps = 0;
    let planChecks = 0;
    const previous = new Map<string, string>();

    for (let t = start; t <= end; t += STEP) {
      clock.set(new Date(t));
      await s.rotation.runOnce();
      steps++;
      const inZone = await s.store.dkim.listInZone();
      const byDomain = Map.groupBy(inZone, (k) => k.domainId);
      for (const [n, domain] of domains.entries()) {
        const keys: DkimKey[] = byDomain.get(domain.id) ?? [];
        const where = `${domain.name} at ${new Date(t).toISOString()}`;
        const active = keys.filter((k) => k.state === 'active');
        if (active.length > 0) everActive.add(domain.id);
        // Every instant after the first activation: exactly one active key, and it is published.
        if (everActive.has(domain.id)) assert.equal(active.length, 1, `one active key: ${where}`);
        // No selector is held by two keys that are still needed.
        const held = keys.filter((k) => k.state !== 'revoked').map((k) => k.selector);
        assert.equal(new Set(held).size, held.length, `selectors distinct: ${where}`);
        // What the signer would use now.
        const signing = await s.signingKeys.forDomain(domain.id);
        const published = new Map(keys.filter((k) => k.state !== 'revoked').map((k) => [k.id, k]));
        for (const sk of signing.keys) {
          const key = published.get(sk.keyId);
          assert.ok(key !== undefined, `a key signs only while published: ${where}`);
          lastSigned.set(sk.keyId, t);
        }
        assert.ok(signing.keys.length <= 2, `at most two signatures: ${where}`);
        if (everActive.has(domain.id)) assert.ok(signing.usable, `signing never has a gap: ${where}`);
        if (signing.keys.length === 2) {
          const newest = active[0]!;
          const sinceActivation = t - Date.parse(newest.activatedAt!);
          assert.ok(
            sinceActivation >= 0 && sinceActivation < OVERLAP,
            `two signatures only inside the overlap: ${where}`,
          );
        }
        // The records the zone would serve match the key states: check domains whose keys changed, and a sample.
        const fingerprint = keys.map((k) => `${k.id}:${k.state}`).join(',');
        if (previous.get(domain.id) !== fingerprint || n % 25 === steps % 25) {
          previous.set(domain.id, fingerprint);
          const plan = await s.domains.planFor(domain);
          assert.deepEqual(
            hostedDkimRecords(plan),
            expectedDkimRecords(domain.token, s.platform.zone, keys),
            where,
          );
          planChecks++;
        }
      }
    }

    // Over the whole timeline, per key.
    const history = (await Promise.all(domains.map((d) => s.store.dkim.listByDomain(d.id)))).flat();
    for (const k of history) {
      if (k.state === 'revoked' && k.revokeReason === 'retention elapsed') {
        const stoppedSigning = Date.parse(k.retiringAt!) + OVERLAP;
        const revoked = Date.parse(k.revokedAt!);
        assert.ok(revoked - stoppedSigning >= RETENTION, `retention after the end of signing: ${k.id}`);
        const last = lastSigned.get(k.id);
        assert.ok(last !== undefined && revoked - last >= RETENTION, `retention after the last use: ${k.id}`);
      }
      if (k.activatedAt !== null) {
        assert.ok(
          Date.parse(k.activatedAt) - Date.parse(k.createdAt) >= LEAD,
          `lead time before signing: ${k.id}`,
        );
      }
    }
    for (const d of domains) {
      const activations = history.filter((k) => k.domainId === d.id && k.activatedAt !== null).length;
      assert.ok(activations - 1 >= 12, `${d.name}: ${activations - 1} rotations`);
    }
    // The slow domains waited for visibility, and said so.
    const waited = await s.events.list(tenant.id, { type: 'dkim.key.awaiting-visibility', limit: 1000 });
    assert.ok(waited.length > 0);
    assert.ok(waited.every((e) => slow(domains.find((d) => d.id === e.domainId)!.name)));
    const critical = await s.events.list(tenant.id, { type: 'dkim.signing.unavailable', limit: 10 });
    assert.deepEqual(critical, []);
    assert.ok(steps >= 1488 && planChecks > 5000, `${steps} steps, ${planChecks} plan checks`);
  } finally {
    await s.close();
  }
});
