/**
 * The contract of the alerts port, part of the store contract (SQLite and PostgreSQL): settings kept whole; a
 * condition opens once (a second open, from this node or another, opens nothing), clears once, and re-opens after
 * clearing; the digest period is claimed by compare-and-set; the send log is read by day and recipient domain; the
 * report facts count only reports that are evidence (verified reporters, legacy ones during their transition).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ALERT_SETTINGS, type AlertState } from '../alerts/index.ts';
import type { AggregateRecord } from '../reports/index.ts';
import { contractDomain } from './contract-fixtures.ts';
import { record, report, totals } from './report-load-contract.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const T0 = '2026-11-01T00:00:00.000Z';
const T1 = '2026-11-02T00:00:00.000Z';
const T2 = '2026-11-03T00:00:00.000Z';

export function describeAlertContract(withStore: WithStore): void {
  test('alerts: settings, a condition opened once, cleared once, re-opened; the digest claimed once', () =>
    withStore(async (store) => {
      const repo = store.alerts;
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      assert.equal(await repo.settings('ten_a'), null);
      const settings = {
        ...DEFAULT_ALERT_SETTINGS,
        passRateDropPoints: 15,
        disabled: ['reporter.silent' as const],
        digest: 'weekly' as const,
        tenantId: 'ten_a',
        digestSentAt: null,
        updatedAt: T0,
      };
      await repo.saveSettings(settings);
      assert.deepEqual(await repo.settings('ten_a'), settings);
      assert.deepEqual(
        (await repo.digestTenants()).map((s) => s.tenantId),
        ['ten_a'],
      );
      assert.equal(await repo.markDigestSent('ten_a', null, T1), true, 'the first claim of the period');
      assert.equal(await repo.markDigestSent('ten_a', null, T1), false, 'another node saw the old value');
      assert.equal((await repo.settings('ten_a'))?.digestSentAt, T1);

      const state: AlertState = {
        tenantId: 'ten_a',
        domainId: 'd1',
        kind: 'source.new',
        subject: '198.51.100.7',
        openedAt: T0,
        lastSeenAt: T0,
        clearedAt: null,
      };
      assert.equal(await repo.open(state), true);
      assert.equal(await repo.open({ ...state, openedAt: T1 }), false, 'open already: opens nothing');
      await repo.touch('d1', 'source.new', '198.51.100.7', T1);
      assert.deepEqual(await repo.states('d1'), [{ ...state, lastSeenAt: T1 }]);
      assert.equal(await repo.clear('d1', 'source.new', '198.51.100.7', T1), true);
      assert.equal(await repo.clear('d1', 'source.new', '198.51.100.7', T1), false, 'cleared once');
      assert.equal(await repo.open({ ...state, openedAt: T2, lastSeenAt: T2 }), true, 're-opened');
      assert.deepEqual(await repo.states('d1'), [{ ...state, openedAt: T2, lastSeenAt: T2 }]);
      assert.deepEqual(
        (await repo.domains()).map((d) => [d.id, d.tenantId, d.name]),
        [['d1', 'ten_a', 'example.com']],
      );
    }));

  test('alerts: deliveries read from the send log by day and recipient domain, each message once', () =>
    withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const message = (id: string, at: string) => ({
        id,
        tenantId: 'ten_a',
        domainId: 'd1',
        senderDomain: 'example.com',
        headerFrom: 'news@example.com',
        submittedMailFrom: 'news@example.com',
        recipients: [],
        signatures: [],
        signingDecision: 'signed',
        clientAddress: '127.0.0.1',
        credential: null,
        size: 100,
        acceptedAt: at,
        status: 'delivered' as const,
        updatedAt: at,
      });
      const attempt = (
        messageId: string,
        recipient: string,
        at: string,
        status: 'delivered' | 'deferred',
      ) => ({
        messageId,
        tenantId: 'ten_a',
        recipient,
        at,
        status,
        code: status === 'delivered' ? 250 : 451,
        reply: '',
        host: 'gmail-smtp-in.l.google.com',
        tls: true,
      });
      await store.gateway.insertMessages([message('m1', T0), message('m2', T0)]);
      await store.gateway.insertAttempts([
        // One message to two Gmail recipients is one message Gmail receives.
        attempt('m1', 'a@gmail.com', '2026-11-01T10:00:00.000Z', 'delivered'),
        attempt('m1', 'b@Gmail.com', '2026-11-01T10:00:00.000Z', 'delivered'),
        attempt('m2', 'c@gmail.com', '2026-11-01T23:59:59.000Z', 'deferred'),
        attempt('m2', 'c@gmail.com', '2026-11-02T00:10:00.000Z', 'delivered'),
      ]);
      assert.deepEqual(await store.alertFacts.delivered('d1', '2026-11-01', '2026-11-02'), [
        { day: '2026-11-01', recipientDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', messages: 1 },
        { day: '2026-11-02', recipientDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', messages: 1 },
      ]);
      assert.deepEqual(await store.alertFacts.delivered('d1', '2026-11-03', '2026-11-09'), []);
    }));

  test('alerts: report facts from verified reporters only, legacy ones during their transition', () =>
    withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const at = '2026-11-02T00:00:00.000Z';
      const load = async (id: string, ip: string, trust: 'dkim' | 'unverified' | 'legacy') => {
        const r = { ...report(id), dedupKey: id, reporter: `${id}.example` };
        const x: AggregateRecord = {
          ...record,
          sourceIp: ip as AggregateRecord['sourceIp'],
          dkimResults: [{ domain: 'example.com', selector: `s-${id}`, result: 'pass', humanResult: null }],
        };
        await store.reports.beginReport(r);
        await store.reports.addRecords(r, [x]);
        await store.reports.completeReport(
          r,
          {
            ...totals,
            selectors: [{ signingDomain: 'example.com', selector: `s-${id}`, messages: 5, pass: 5, fail: 0 }],
          },
          {
            trust,
            reason: trust,
            verifiedDomain: trust === 'dkim' ? `${id}.example` : null,
            at,
          },
        );
      };
      await load('genuine', '192.0.2.1', 'dkim');
      await load('forged', '198.51.100.9', 'unverified');
      await load('old', '203.0.113.4', 'legacy');
      const facts = store.alertFacts;
      const window = ['d1', '2026-10-01', '2026-12-01'] as const;
      const during = { legacyAfter: '2026-11-01T00:00:00.000Z' };
      const after = { legacyAfter: '2026-11-03T00:00:00.000Z' };
      assert.deepEqual(
        (await facts.daily(...window, after)).map((d) => [d.day, d.reports, d.messages, d.dmarcPass]),
        [['2026-11-01', 1, 5, 5]],
      );
      assert.deepEqual(
        (await facts.daily(...window, during)).map((d) => [d.day, d.reports, d.messages]),
        [['2026-11-01', 2, 10]],
        'legacy reports count during their transition',
      );
      assert.deepEqual(
        (await facts.sourceDays(...window, after)).map((d) => [d.day, d.sourceIp, d.messages, d.dmarcPass]),
        [['2026-11-01', '192.0.2.1', 5, 5]],
      );
      assert.deepEqual(await facts.reporterDays(...window, after), [
        { reporter: 'genuine.example', day: '2026-11-01' },
      ]);
      assert.deepEqual(
        (await facts.selectorDays(...window, after)).map((d) => [d.selector, d.messages, d.pass]),
        [['s-genuine', 5, 5]],
      );
      const ips = ['192.0.2.1', '198.51.100.9', '203.0.113.4'];
      assert.deepEqual(
        (await facts.seen('d1', 'example.com', '2026-10-01', '2026-12-01', ips, after)).map(
          (r) => r.sourceIp,
        ),
        ['192.0.2.1'],
      );
    }));
}
