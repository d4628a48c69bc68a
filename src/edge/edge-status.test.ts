import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedHostStatus, unstoredHostStatus } from './edge-status.ts';
import type { EdgeHost } from './model.ts';

const cert = {
  id: 'c1',
  serial: '01',
  issuer: 'CN=Test',
  notBefore: '2026-11-01T00:00:00.000Z',
  notAfter: '2027-01-30T00:00:00.000Z',
  issuedAt: '2026-11-01T00:00:00.000Z',
  fingerprint: 'AA',
};

function host(over: Partial<EdgeHost>): EdgeHost {
  return {
    hostname: 'clicks.example.com',
    role: 'click',
    domainId: 'd1',
    tenantId: 't1',
    status: 'issued',
    order: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    certificate: cert,
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

const ready = { ready: true } as const;
const broken = { ready: false, reason: 'clicks.example.com does not point at the edge yet.' } as const;
const failure = { message: 'Connection refused', at: '2026-12-31T00:00:00.000Z' };

test('the status a person reads, case by case', () => {
  const cases: Array<{
    what: string;
    view: ReturnType<typeof storedHostStatus>;
    status: string;
    reason: RegExp;
  }> = [
    {
      what: 'not stored, not ready: waiting, with the reason',
      view: unstoredHostStatus('clicks.example.com', 'click', broken),
      status: 'waiting',
      reason: /does not point at the edge yet/,
    },
    {
      what: 'not stored, ready: pending',
      view: unstoredHostStatus('clicks.example.com', 'click', ready),
      status: 'pending',
      reason: /ordered on the next ACME pass/,
    },
    {
      what: 'issued, fresh',
      view: storedHostStatus(host({}), ready, new Date('2026-12-01T00:00:00Z')),
      status: 'issued',
      reason: /valid until 2027-01-30T00:00:00.000Z and renews from 2026-12-31T00:00:00.000Z/,
    },
    {
      what: 'issued but due: renewing before the pass runs',
      view: storedHostStatus(host({}), ready, new Date('2026-12-31T00:00:01Z')),
      status: 'renewing',
      reason: /renews from/,
    },
    {
      what: 'a failed renewal keeps the certificate in view, with the error and the next attempt',
      view: storedHostStatus(
        host({
          status: 'failed',
          attempts: 1,
          lastError: failure,
          nextAttemptAt: '2026-12-31T00:15:00.000Z',
        }),
        ready,
        new Date('2026-12-31T00:00:01Z'),
      ),
      status: 'failed',
      reason: /failed at 2026-12-31T00:00:00.000Z: Connection refused\. The next attempt is at .*valid until/,
    },
    {
      what: 'expired, no order under way',
      view: storedHostStatus(
        host({ status: 'failed', lastError: failure }),
        ready,
        new Date('2027-02-01T00:00:00Z'),
      ),
      status: 'expired',
      reason: /The certificate expired at 2027-01-30/,
    },
    {
      what: 'a broken CNAME is said, and no order is placed',
      view: storedHostStatus(host({}), broken, new Date('2026-12-01T00:00:00Z')),
      status: 'issued',
      reason: /No new order is placed while this lasts: clicks.example.com does not point/,
    },
    {
      what: 'an order under way',
      view: storedHostStatus(
        host({
          status: 'pending',
          certificate: null,
          order: {
            url: 'https://ca/o/1',
            startedAt: '2026-12-01T00:00:00.000Z',
            key: { kekId: 'k', sealed: 's' },
          },
        }),
        ready,
        new Date('2026-12-01T00:00:05Z'),
      ),
      status: 'pending',
      reason: /An order placed at 2026-12-01T00:00:00.000Z is under way/,
    },
  ];
  for (const c of cases) {
    assert.equal(c.view.status, c.status, c.what);
    assert.match(c.view.reason, c.reason, c.what);
  }
});
