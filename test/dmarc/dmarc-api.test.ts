import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import type { SourceEvidence, WindowEvidence } from '../../src/dmarc/index.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { goodReport } from '../reports/hostile-inputs.ts';

/** `example.com` verified, as of now (a manual step up on an unverified domain needs force). */
async function verify(t: TestNode, tenantId: string, name = 'example.com') {
  const d = await t.services.domains.get(tenantId, name);
  const at = new Date().toISOString();
  await t.services.store.domains.setVerified(d.id, at, at);
}

async function setup(runtime: Parameters<typeof startTestNode>[0] = {}) {
  const t = await startTestNode({ set: ['dmarc.scheduler=false'], ...runtime });
  const tenant = await t.services.accounts.addTenant('acme');
  const key = (await t.services.accounts.createApiKey(tenant.id, 'test')).key;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.http}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  await call('POST', '/v1/domains', { name: 'example.com' });
  await verify(t, tenant.id);
  return { t, tenant, call };
}

const hostedDmarc = async (t: TestNode, tenantId: string) =>
  (await t.services.domains.plan(tenantId, 'example.com')).hosted.find((r) => r.purpose === 'dmarc')?.data;

test('stepping the ladder by hand changes the hosted record and logs a change for the DNS server', async () => {
  const { t, tenant, call } = await setup();
  try {
    const start = await call('GET', '/v1/domains/example.com/dmarc');
    assert.equal(start.status, 200);
    assert.equal(start.json.step.label, 'monitor');
    assert.match(
      start.json.record,
      /^v=DMARC1; p=none; rua=mailto:[a-z2-7]{12}@reports\.mail\.example\.net$/,
    );
    const changesBefore = await t.services.store.latestChangeId();

    const stepped = await call('POST', '/v1/domains/example.com/dmarc/step', {
      to: 'forward',
      reason: 'reports look clean',
    });
    assert.equal(stepped.status, 200);
    assert.equal(stepped.json.step.label, 'quarantine 1%');
    assert.deepEqual(stepped.json.readings.rfc7489, {
      published: 'quarantine',
      applied: 'quarantine',
      percent: 1,
      testMode: false,
    });
    assert.deepEqual(stepped.json.readings.rfc9989, {
      published: 'quarantine',
      applied: 'none',
      percent: 100,
      testMode: true,
    });
    assert.ok(
      (await t.services.store.latestChangeId()) > changesBefore,
      'no change logged: the DNS server would not notice',
    );
    const hosted = await hostedDmarc(t, tenant.id);
    assert.ok(hosted?.type === 'TXT' && hosted.text === stepped.json.record);
    assert.equal(stepped.json.decisions[0].actor, 'user');
    assert.equal(stepped.json.decisions[0].reason, 'reports look clean');

    const set = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 12, force: true });
    assert.equal(set.json.record.includes('p=reject; t=n'), true);
    const bad = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 13 });
    assert.equal(bad.status, 422);
    const back = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 'back' });
    assert.equal(back.json.step.label, 'reject 50%');
  } finally {
    await t.close();
  }
});

test('a risky manual step up needs force: several steps, failing legitimate mail, an unverified domain', async () => {
  const { t, tenant, call } = await setup();
  try {
    const refused = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 12 });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'confirmation_required');
    assert.deepEqual(
      refused.json.error.details.map((d: { reason: string }) => d.reason),
      ['several_steps'],
    );
    assert.match(refused.json.error.message, /12 steps up at once, from monitor to reject 100%/);
    assert.equal((await call('GET', '/v1/domains/example.com/dmarc')).json.step.index, 0, 'nothing moved');
    // One step up from a verified domain with no failing legitimate mail needs nothing.
    assert.equal((await call('POST', '/v1/domains/example.com/dmarc/step', { to: 'forward' })).status, 200);

    // A real sender that signs with its own domain, never set up for example.com: it fails DMARC while its DKIM
    // passes for another domain (shadow IT). Stepping up would hurt it.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400;
    const shadow = goodReport('example.com', 'shadow-1', day)
      .replace('<dkim>pass</dkim>', '<dkim>fail</dkim>')
      .replace('<domain>example.com</domain><selector>', '<domain>crm.example.org</domain><selector>');
    const stored = await t.services.reports.ingest({
      source: [Buffer.from(shadow)],
      via: 'upload',
      tenantId: tenant.id,
    });
    assert.equal(stored.outcomes[0]?.status, 'stored');
    const failing = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 'forward' });
    assert.equal(failing.status, 409);
    assert.deepEqual(
      failing.json.error.details.map((d: { reason: string }) => d.reason),
      ['failing_legitimate_mail'],
    );
    assert.match(
      failing.json.error.message,
      /3 legitimate-looking messages failed DMARC \(3 of 3 failed in all\)/,
    );
    // Down is always allowed; force takes the step and the decision is kept as usual.
    assert.equal((await call('POST', '/v1/domains/example.com/dmarc/step', { to: 'back' })).status, 200);
    const forced = await call('POST', '/v1/domains/example.com/dmarc/step', { to: 3, force: true });
    assert.equal(forced.status, 200);
    assert.equal(forced.json.step.index, 3);

    // An unverified domain: even one step up needs force.
    await call('POST', '/v1/domains', { name: 'example.net' });
    const unverified = await call('POST', '/v1/domains/example.net/dmarc/step', { to: 'forward' });
    assert.equal(unverified.status, 409);
    assert.deepEqual(
      unverified.json.error.details.map((d: { reason: string }) => d.reason),
      ['unverified_domain'],
    );
  } finally {
    await t.close();
  }
});

test('a third-party rua is published only once its domain authorises the reports (RFC 7489 §7.1)', async () => {
  const authorised = new Set<string>();
  const { t, call } = await setup({
    runtime: {
      reportAuthorization: {
        check: (sender, reportDomain) =>
          Promise.resolve(
            authorised.has(`${sender}._report._dmarc.${reportDomain}`) ? 'authorized' : 'missing',
          ),
      },
    },
  });
  try {
    const refused = await call('PATCH', '/v1/domains/example.com/dmarc', {
      extraRua: ['dmarc@vendor.example'],
    });
    assert.equal(refused.status, 422);
    assert.match(
      refused.json.error.message,
      /vendor\.example has not authorised.*example\.com\._report\._dmarc\.vendor\.example TXT "v=DMARC1"/,
    );
    authorised.add('example.com._report._dmarc.vendor.example');
    const ok = await call('PATCH', '/v1/domains/example.com/dmarc', { extraRua: ['dmarc@vendor.example'] });
    assert.equal(ok.status, 200);
    assert.match(
      ok.json.record,
      /rua=mailto:[a-z2-7]{12}@reports\.mail\.example\.net,mailto:dmarc@vendor\.example$/,
    );
    // An address in the sender's own organisational domain needs no authorisation.
    const own = await call('PATCH', '/v1/domains/example.com/dmarc', {
      ruf: ['dmarc-failures@mail.example.com'],
    });
    assert.equal(own.status, 200);
    assert.match(own.json.record, /ruf=mailto:dmarc-failures@mail\.example\.com/);
  } finally {
    await t.close();
  }
});

test('BIMI is published only while the policy is enforced', async () => {
  const { t, tenant, call } = await setup();
  try {
    const configured = await call('PATCH', '/v1/domains/example.com/dmarc', {
      bimi: { location: 'https://example.com/logo.svg' },
    });
    assert.deepEqual(configured.json.bimi, {
      configured: true,
      published: false,
      record: 'v=BIMI1; l=https://example.com/logo.svg; a=',
    });
    assert.equal(
      (await t.services.domains.plan(tenant.id, 'example.com')).hosted.some((r) => r.purpose === 'bimi'),
      false,
    );
    await call('POST', '/v1/domains/example.com/dmarc/step', { to: 6, force: true });
    const plan = await t.services.domains.plan(tenant.id, 'example.com');
    assert.ok(plan.hosted.some((r) => r.purpose === 'bimi' && r.data.type === 'TXT'));
    assert.ok(plan.customer.some((r) => r.name === 'default._bimi.example.com' && r.data.type === 'CNAME'));
    await call('POST', '/v1/domains/example.com/dmarc/step', { to: 7 }); // reject 1%: pct < 100, t=y
    assert.equal(
      (await t.services.domains.plan(tenant.id, 'example.com')).hosted.some((r) => r.purpose === 'bimi'),
      false,
    );
  } finally {
    await t.close();
  }
});

test('a dated calendar sets the step when its date comes', async () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  const { t, call } = await setup({ runtime: { clock } });
  try {
    const r = await call('PATCH', '/v1/domains/example.com/dmarc', {
      schedule: [
        { at: '2026-12-10T00:00:00Z', step: 3 },
        { at: '2026-12-03T00:00:00Z', step: 1 },
      ],
    });
    assert.deepEqual(
      r.json.schedule.map((s: { step: number }) => s.step),
      [1, 3],
    );
    await t.services.dmarc.tick();
    assert.equal(
      (await call('GET', '/v1/domains/example.com/dmarc')).json.step.index,
      0,
      'applied before its date',
    );
    clock.set('2026-12-04T00:00:00Z');
    await t.services.dmarc.tick();
    const after = (await call('GET', '/v1/domains/example.com/dmarc')).json;
    assert.equal(after.step.index, 1);
    assert.equal(after.decisions[0].actor, 'schedule');
    assert.deepEqual(after.schedule, [{ at: '2026-12-10T00:00:00Z', step: 3 }]);
  } finally {
    await t.close();
  }
});

test('a calendar entry for the step the domain is already at changes nothing: no decision, no event, same window', async () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  const { t, tenant, call } = await setup({ runtime: { clock } });
  try {
    assert.equal((await call('POST', '/v1/domains/example.com/dmarc/step', { to: 1 })).status, 200);
    const before = (await call('GET', '/v1/domains/example.com/dmarc')).json;
    await call('PATCH', '/v1/domains/example.com/dmarc', {
      schedule: [{ at: '2026-12-02T00:00:00Z', step: 1 }],
    });
    clock.set('2026-12-03T00:00:00Z');
    await t.services.dmarc.tick();
    const after = (await call('GET', '/v1/domains/example.com/dmarc')).json;
    assert.equal(after.step.index, 1);
    assert.deepEqual(after.schedule, [], 'the entry is used up');
    assert.equal(
      after.decisions.length,
      before.decisions.length,
      'no decision for a step that did not change',
    );
    assert.equal(after.decisions[0].actor, 'user');
    const events = await t.services.events.list(tenant.id, { type: 'dmarc.step' });
    assert.equal(events.length, 1, events.map((e) => e.message).join('\n'));
  } finally {
    await t.close();
  }
});

test('the autopilot advances on clean evidence, stores its evidence, and previews the impact', async () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  const day = (from: Date, to: Date): WindowEvidence => {
    const days = Math.max(0, (to.getTime() - from.getTime()) / 86_400_000);
    const s = (ip: string, cls: SourceEvidence['class'], perDay: number, pass: number): SourceEvidence => ({
      ip,
      class: cls,
      reverseName: null,
      messages: Math.round(perDay * days),
      dmarcPass: Math.round(pass * days),
      authenticatedUnaligned: 0,
    });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      reporters: ['google.com', 'outlook.com'],
      sources: [s('127.0.0.1', 'platform', 1000, 999), s('203.0.113.9', 'unknown', 30, 0)],
    };
  };
  const { t, call } = await setup({
    runtime: { clock, dmarcEvidence: { evidence: (_id, from, to) => Promise.resolve(day(from, to)) } },
  });
  try {
    await call('PATCH', '/v1/domains/example.com/dmarc', { autopilot: { enabled: true } });
    clock.set('2026-12-02T00:00:00Z');
    await t.services.dmarc.tick();
    let v = (await call('GET', '/v1/domains/example.com/dmarc')).json;
    assert.equal(v.step.index, 0, 'advanced before a whole window');
    assert.equal(v.decisions[0].action, 'hold');
    assert.match(v.decisions[0].reason, /days at this step/);
    clock.set('2026-12-09T00:00:00Z');
    await t.services.dmarc.tick();
    v = (await call('GET', '/v1/domains/example.com/dmarc')).json;
    assert.equal(v.step.index, 1);
    assert.equal(v.decisions[0].actor, 'autopilot');
    assert.equal(v.decisions[0].action, 'advance');
    assert.ok(v.decisions[0].checks.find((c: { name: string }) => c.name === 'platform-pass').ok);

    const impact = (await call('GET', '/v1/domains/example.com/dmarc/impact?days=14')).json;
    assert.equal(impact.label, 'quarantine 5%');
    assert.equal(impact.failing, 14 * 1 + 14 * 30);
    assert.equal(impact.sources[0].ip, '203.0.113.9');
    assert.equal(impact.rfc9989.quarantine, 0, 'RFC 9989 receivers treat t=y quarantine as none');
    assert.equal(impact.rfc7489.quarantine, Math.round(0.05 * impact.failing));
  } finally {
    await t.close();
  }
});
