import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EdgeHost } from './model.ts';
import { backoffMs, isExpired, nextAction, renewalDue } from './renewal-policy.ts';

const DAY = 86_400_000;

function host(over: Partial<EdgeHost> = {}): EdgeHost {
  return {
    hostname: 'clicks.example.com',
    role: 'click',
    domainId: 'd1',
    tenantId: 't1',
    status: 'pending',
    order: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    certificate: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}

const cert = {
  id: 'c1',
  serial: '01',
  issuer: 'CN=Test',
  notBefore: '2026-11-01T00:00:00.000Z',
  notAfter: '2027-01-30T00:00:00.000Z', // 90 days
  issuedAt: '2026-11-01T00:00:00.000Z',
  fingerprint: 'AA',
};

test('renewal is due at two thirds of the lifetime: day 60 of a 90-day certificate', () => {
  assert.equal(renewalDue(cert).toISOString(), '2026-12-31T00:00:00.000Z');
  // Counted from when it was stored: a CA clock that runs behind ours does not make it due at once again.
  assert.equal(
    renewalDue({ ...cert, issuedAt: '2026-11-02T00:00:00.000Z' }).toISOString(),
    '2027-01-01T00:00:00.000Z',
  );
});

test('the back-off doubles from the base and stops at the cap', () => {
  const policy = { baseMs: 15 * 60_000, maxMs: DAY };
  const table: Array<[number, number]> = [
    [1, 15 * 60_000],
    [2, 30 * 60_000],
    [3, 60 * 60_000],
    [7, 16 * 60 * 60_000],
    [8, DAY],
    [200, DAY],
  ];
  for (const [failures, ms] of table) assert.equal(backoffMs(failures, policy), ms, `after ${failures}`);
});

test('next action, case by case', () => {
  const at = (iso: string) => new Date(iso);
  const cases: Array<{ what: string; host: EdgeHost; now: string; want: string }> = [
    { what: 'a new host orders', host: host(), now: '2026-11-01T00:00:00Z', want: 'order' },
    {
      what: 'an order under way resumes, whatever the back-off says',
      host: host({
        order: { url: 'https://ca/order/1', startedAt: '', key: { kekId: 'k', sealed: 's' } },
        nextAttemptAt: '2030-01-01T00:00:00Z',
      }),
      now: '2026-11-01T00:00:00Z',
      want: 'resume',
    },
    {
      what: 'a failure waits out its back-off',
      host: host({ status: 'failed', attempts: 1, nextAttemptAt: '2026-11-01T00:15:00Z' }),
      now: '2026-11-01T00:14:59Z',
      want: 'wait',
    },
    {
      what: 'and orders again after it',
      host: host({ status: 'failed', attempts: 1, nextAttemptAt: '2026-11-01T00:15:00Z' }),
      now: '2026-11-01T00:15:00Z',
      want: 'order',
    },
    {
      what: 'a fresh certificate waits',
      host: host({ status: 'issued', certificate: cert }),
      now: '2026-12-30T23:59:59Z',
      want: 'wait',
    },
    {
      what: 'a certificate past two thirds renews',
      host: host({ status: 'issued', certificate: cert }),
      now: '2026-12-31T00:00:00Z',
      want: 'order',
    },
    {
      what: 'an expired certificate renews, whenever it was stored',
      host: host({ status: 'issued', certificate: { ...cert, issuedAt: '2027-01-29T00:00:00.000Z' } }),
      now: '2027-01-30T00:00:00Z',
      want: 'order',
    },
  ];
  for (const c of cases) assert.equal(nextAction(c.host, at(c.now)), c.want, c.what);
});

test('expired means notAfter has passed', () => {
  assert.equal(isExpired(cert, new Date('2027-01-29T23:59:59Z')), false);
  assert.equal(isExpired(cert, new Date('2027-01-30T00:00:00Z')), true);
});
