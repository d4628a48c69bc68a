import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/core/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import { openTestServices } from '../support/node.ts';
import { run, SYSTEM_PYTHON } from '../support/tools.ts';
import { scriptedProbe } from './support.ts';
import { signWith, testMessage } from './signing.ts';

const DAY = 86_400_000;
const SCRIPT = fileURLToPath(new URL('verify-dkimpy.py', import.meta.url));

type Services = Awaited<ReturnType<typeof openTestServices>>;

/** The DNS a receiver sees: the customer's CNAMEs (delegated mode) and the TXT records senderd hosts. */
async function publishedDns(s: Services, domain: SenderDomain) {
  const plan = await s.domains.planFor(domain);
  const cnames: Record<string, string> = {};
  const txt: Record<string, string> = {};
  for (const r of plan.customer) if (r.data.type === 'CNAME') cnames[r.name] = r.data.target;
  for (const r of plan.hosted) if (r.data.type === 'TXT') txt[r.name] = r.data.text;
  return { cnames, txt };
}

async function dkimpy(s: Services, domain: SenderDomain, messages: Record<string, string>) {
  const input = JSON.stringify({ ...(await publishedDns(s, domain)), messages });
  const result = await run(SYSTEM_PYTHON, [SCRIPT], { input });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, Array<boolean | string>>;
}

test('messages signed with the keys of each state verify with dkimpy against the published records', async () => {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  const s = await openTestServices({
    set: ['dkim.leadTime=2d', 'dkim.overlap=1d', 'dkim.retention=3d', 'dkim.rotationPeriod=30d'],
    runtime: { clock, probe: scriptedProbe() },
  });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const domain = await s.domains.add(tenant.id, 'example.com');
    await s.dkim.setPolicy(tenant.id, 'example.com', { ed25519: true });
    await s.rotation.runOnce(); // publishes the first RSA and Ed25519 keys (pending)
    const pending = await s.store.dkim.listInZoneByDomain(domain.id);
    assert.deepEqual(pending.map((k) => `${k.algorithm}:${k.state}`).sort(), [
      'ed25519:pending',
      'rsa:pending',
    ]);
    assert.equal((await s.signingKeys.forDomain(domain.id)).usable, false, 'pending keys do not sign');

    clock.advance(2 * DAY);
    await s.rotation.runOnce(); // both activate
    const first = await s.signingKeys.forDomain(domain.id);
    assert.deepEqual(
      first.keys.map((k) => `${k.algorithm}/${k.state}`),
      ['rsa-sha256/active', 'ed25519-sha256/active'],
    );
    const activeMsg = await signWith(testMessage('active'), domain.name, first.keys);

    // Rotate now: the new RSA key is pending (published, not signing), then active beside the retiring one.
    const { key: next } = await s.dkim.rotate(tenant.id, 'example.com');
    assert.equal(next.state, 'pending');
    clock.advance(2 * DAY);
    await s.rotation.runOnce();
    const overlap = await s.signingKeys.forDomain(domain.id);
    assert.deepEqual(
      overlap.keys.map((k) => `${k.algorithm}/${k.state}`),
      ['rsa-sha256/active', 'ed25519-sha256/active', 'rsa-sha256/retiring'],
    );
    const overlapMsg = await signWith(testMessage('overlap'), domain.name, overlap.keys);

    let verdicts = await dkimpy(s, domain, { active: activeMsg, overlap: overlapMsg });
    assert.deepEqual(verdicts.active, [true, true], 'RSA and Ed25519 signatures of the active keys');
    assert.deepEqual(verdicts.overlap, [true, true, true], 'new key, Ed25519 and the retiring co-signer');

    // Overlap over: the old key is retired (published, not signing); mail it signed earlier still verifies.
    clock.advance(1 * DAY);
    await s.rotation.runOnce();
    const after = await s.signingKeys.forDomain(domain.id);
    assert.deepEqual(
      after.keys.map((k) => `${k.algorithm}/${k.state}`),
      ['rsa-sha256/active', 'ed25519-sha256/active'],
    );
    const old = (await s.store.dkim.listInZoneByDomain(domain.id)).find(
      (k) => k.id === first.keys[0]!.keyId,
    )!;
    assert.equal(old.state, 'retired');
    verdicts = await dkimpy(s, domain, {
      active: activeMsg,
      tampered: activeMsg.replace('Hello from', 'Hullo from'),
    });
    assert.deepEqual(verdicts.active, [true, true], 'a retired key still verifies mail in transit');
    assert.ok(
      verdicts.tampered!.every((v) => v !== true),
      'a changed body fails',
    );

    // Retention over: the key is revoked (empty p=), and its old signatures no longer verify.
    clock.advance(3 * DAY);
    await s.rotation.runOnce();
    const revoked = (await s.store.dkim.listInZoneByDomain(domain.id)).find((k) => k.id === old.id)!;
    assert.equal(revoked.state, 'revoked');
    verdicts = await dkimpy(s, domain, { active: activeMsg });
    assert.notEqual(verdicts.active![0], true, 'the revoked RSA key no longer verifies');
    assert.equal(verdicts.active![1], true, 'the Ed25519 key is still active');
  } finally {
    await s.close();
  }
});
