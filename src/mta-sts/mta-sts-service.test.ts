import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, ManualClock } from '../core/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { DEFAULT_MAX_AGE, type MtaStsSettings, type SenderDomain } from '../domains/index.ts';
import type { NewEvent } from '../events/index.ts';
import { MtaStsService } from './mta-sts-service.ts';

/** The service over a domain held in memory, with the MX hosts and TLS-report figures the test sets. */
function setup(options: {
  mx?: string[] | 'error';
  tls?: { reports: number; successful: number; failed: number };
}) {
  let domain: SenderDomain = {
    id: 'dom_1',
    tenantId: 'ten_1',
    name: 'example.com' as DomainName,
    token: 'tok000000001',
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking: true,
      spfMechanisms: [],
      dkimSelectors: [],
      ownDkimSelectors: [],
    },
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    verifiedAt: '2026-12-01T00:00:00.000Z',
  };
  const state = {
    mx: options.mx ?? ['mx1.example.com'],
    tls: options.tls ?? { reports: 3, successful: 90, failed: 0 },
  };
  const events: NewEvent[] = [];
  const windows: string[][] = [];
  const service = new MtaStsService({
    domains: {
      get: (_t, name) => {
        if (name !== 'example.com') throw new AppError('not_found', 'No sender domain');
        return Promise.resolve(domain);
      },
      setMtaSts: (d, mtaSts: MtaStsSettings | null) => {
        domain = { ...d, settings: { ...d.settings, mtaSts } };
        return Promise.resolve(domain);
      },
      listAll: () => Promise.resolve([domain]),
    },
    mx: () =>
      Promise.resolve(
        state.mx === 'error'
          ? { kind: 'error', reason: 'timeout' }
          : state.mx.length === 0
            ? { kind: 'none' }
            : { kind: 'hosts', hosts: state.mx },
      ),
    tlsEvidence: (_id, from, to) => {
      windows.push([from, to]);
      return Promise.resolve(state.tls);
    },
    events: { emit: (e) => Promise.resolve(void events.push(e)) },
    clock: new ManualClock(new Date('2026-12-07T12:00:00Z')),
    maxAge: DEFAULT_MAX_AGE,
    evidenceDays: 14,
  });
  return { service, state, events, windows };
}

const reasons = (e: unknown) => (e instanceof AppError ? e.details.map((d) => d.reason) : []);

test('enable takes the MX hosts from the DNS, or patterns that cover them all; none or a failed look-up refuses', async () => {
  const { service, state } = setup({ mx: ['mx1.example.com', 'mx2.example.com'] });
  const view = await service.enable('ten_1', 'example.com');
  assert.deepEqual(view.mx, ['mx1.example.com', 'mx2.example.com']);
  assert.equal(view.mode, 'testing');
  assert.match(view.policy!, /^version: STSv1\r\nmode: testing\r\n/);
  assert.equal(
    (await service.enable('ten_1', 'example.com', { mx: ['*.EXAMPLE.com.'] })).mx[0],
    '*.example.com',
  );
  await assert.rejects(service.enable('ten_1', 'example.com', { mx: ['mx1.example.com'] }), (e) =>
    reasons(e).includes('mx_not_covered'),
  );
  await assert.rejects(service.enable('ten_1', 'example.com', { mx: ['not a host'] }), /invalid/);
  state.mx = [];
  await assert.rejects(service.enable('ten_1', 'example.com'), (e) => reasons(e).includes('no_mx'));
  state.mx = 'error';
  await assert.rejects(
    service.enable('ten_1', 'example.com'),
    (e) => e instanceof AppError && e.code === 'unavailable',
  );
});

test('enforce: refused without reports or with failed sessions unless forced; testing and none always allowed', async () => {
  const cases = [
    { tls: { reports: 0, successful: 0, failed: 0 }, reason: 'no_tls_reports' },
    { tls: { reports: 4, successful: 100, failed: 2 }, reason: 'tls_failures' },
  ];
  for (const c of cases) {
    const { service, windows } = setup({ tls: c.tls });
    await service.enable('ten_1', 'example.com');
    await assert.rejects(service.setMode('ten_1', 'example.com', 'enforce'), (e) =>
      reasons(e).includes(c.reason),
    );
    assert.deepEqual(windows.at(-1), ['2026-11-23', '2026-12-07'], 'the last 14 days of reports');
    assert.equal((await service.status('ten_1', 'example.com')).mode, 'testing');
    assert.equal((await service.setMode('ten_1', 'example.com', 'enforce', { force: true })).mode, 'enforce');
  }
  const { service } = setup({});
  await assert.rejects(
    service.setMode('ten_1', 'example.com', 'enforce'),
    (e) => e instanceof AppError && e.code === 'conflict',
  );
  await service.enable('ten_1', 'example.com');
  const enforced = await service.setMode('ten_1', 'example.com', 'enforce');
  assert.equal(enforced.maxAge, 604_800);
  await assert.rejects(service.disable('ten_1', 'example.com'), (e) =>
    reasons(e).includes('enforced_policy'),
  );
  assert.equal((await service.setMode('ten_1', 'example.com', 'none')).mode, 'none');
  assert.equal((await service.disable('ten_1', 'example.com')).enabled, false);
});

test('recheck: a new MX host outside the policy raises one event (critical when enforced) and blocks enforce', async () => {
  const { service, state, events } = setup({});
  await service.enable('ten_1', 'example.com');
  await service.setMode('ten_1', 'example.com', 'enforce');
  assert.equal(await service.recheck(), 1);
  assert.equal(events.length, 0, 'nothing new');
  state.mx = ['mx1.example.com', 'mx9.elsewhere.net'];
  await service.recheck();
  await service.recheck();
  assert.equal(events.length, 1, 'once, not on every pass');
  assert.equal(events[0]!.type, 'mta-sts.mx.uncovered');
  assert.equal(events[0]!.severity, 'critical');
  assert.deepEqual((await service.status('ten_1', 'example.com')).uncoveredMx, ['mx9.elsewhere.net']);
  await service.setMode('ten_1', 'example.com', 'testing');
  await assert.rejects(service.setMode('ten_1', 'example.com', 'enforce', { force: true }), (e) =>
    reasons(e).includes('mx_not_covered'),
  );
  // A failed look-up changes nothing.
  state.mx = 'error';
  assert.equal(await service.recheck(), 0);
});
