/**
 * The contract of a report load (part of the store contract, run against SQLite and PostgreSQL): a staged report
 * is invisible and holds no dedup key, so a load a dead process left behind neither shows nor blocks the same
 * report; completion is one transaction, and of two loads of one report the first to complete wins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregateRecord, NewReport, ReportTotals } from '../reports/index.ts';
import { contractDomain } from './contract-fixtures.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const report = (id: string): NewReport => ({
  id,
  kind: 'aggregate',
  tenantId: 'ten_a',
  domainId: 'd1',
  reporter: 'google.com',
  orgName: 'google.com',
  reporterEmail: null,
  externalId: 'r-1',
  policyDomain: 'example.com',
  begin: '2026-11-01T00:00:00Z',
  end: '2026-11-01T23:59:59Z',
  day: '2026-11-01',
  receivedAt: '2026-11-02T00:00:00.000Z',
  via: 'import',
  schema: null,
  policy: null,
  dedupKey: 'same-report',
});

const record: AggregateRecord = {
  sourceIp: '192.0.2.1' as AggregateRecord['sourceIp'],
  count: 5,
  disposition: 'none',
  dkim: 'pass',
  spf: 'fail',
  headerFrom: 'example.com',
  envelopeFrom: null,
  envelopeTo: null,
  reasons: [],
  dkimResults: [],
  spfResults: [],
};

const totals: ReportTotals = {
  records: 1,
  messages: 5,
  dmarcPass: 5,
  dkimAligned: 5,
  spfAligned: 0,
  dispositionNone: 5,
  dispositionQuarantine: 0,
  dispositionReject: 0,
  tlsSuccessful: 0,
  tlsFailed: 0,
  late: false,
  selectors: [],
  details: {},
};

export function describeReportLoadContract(withStore: WithStore): void {
  test('report loads: staged loads are invisible and block nothing; the first to complete wins', async () => {
    await withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const repo = store.reports;
      // A load that died after its records: never completed.
      assert.deepEqual(await repo.beginReport(report('dead')), { started: true });
      await repo.addRecords(report('dead'), [record]);
      const window = ['d1', '2026-10-01', '2026-12-01'] as const;
      assert.deepEqual(await store.reportStats.reports(...window, 10), [], 'a staged report is not listed');
      assert.deepEqual(await store.reportStats.daily(...window), []);
      // Two live loads of the same report (a re-run, SMTP and an upload at once): both may start.
      assert.deepEqual(await repo.beginReport(report('first')), { started: true });
      assert.deepEqual(await repo.beginReport(report('second')), { started: true });
      await repo.addRecords(report('first'), [record]);
      await repo.addRecords(report('second'), [record]);
      assert.deepEqual(await repo.completeReport(report('first'), totals), { completed: true });
      assert.deepEqual(await repo.completeReport(report('second'), totals), {
        completed: false,
        existingId: 'first',
      });
      // Once complete, the same report does not even start.
      assert.deepEqual(await repo.beginReport(report('third')), { started: false, existingId: 'first' });
      const listed = await store.reportStats.reports(...window, 10);
      assert.deepEqual(
        listed.map((r) => [r.id, r.records, r.messages]),
        [['first', 1, 5]],
      );
      const daily = await store.reportStats.daily(...window);
      assert.deepEqual(
        daily.map((d) => [d.reports, d.messages]),
        [[1, 5]],
        'counted once',
      );
      const sources = await store.reportStats.sources(...window, 10);
      assert.deepEqual(
        sources.map((x) => [x.sourceIp, x.messages]),
        [['192.0.2.1', 5]],
      );
      // Housekeeping removes the dead load and its records, and leaves the complete report alone.
      assert.equal(await repo.removeStaleLoading('2026-11-03T00:00:00.000Z'), 1);
      assert.deepEqual((await store.reportStats.reports(...window, 10)).length, 1);
    });
  });

  test('report windows: by the day reports cover (roll-ups) or the day they arrived (raw facts), with totals', async () => {
    await withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const repo = store.reports;
      // Covers 2026-11-01, arrived 2026-11-02.
      await repo.beginReport(report('first'));
      await repo.addRecords(report('first'), [
        record,
        { ...record, sourceIp: '192.0.2.2' as AggregateRecord['sourceIp'], disposition: 'reject' },
      ]);
      await repo.completeReport(report('first'), { ...totals, records: 2, messages: 10 });
      const stats = store.reportStats;
      const arrivalDay = ['d1', '2026-11-02', '2026-11-02'] as const;
      assert.deepEqual(await stats.daily(...arrivalDay), [], 'nothing covers 2026-11-02');
      assert.deepEqual(
        (await stats.daily(...arrivalDay, 'arrival')).map((d) => [
          d.day,
          d.reports,
          d.messages,
          d.dmarcPass,
          d.dispositionNone,
          d.dispositionReject,
        ]),
        [['2026-11-02', 1, 10, 10, 5, 5]],
      );
      assert.deepEqual(await stats.daily('d1', '2026-11-01', '2026-11-01', 'arrival'), []);
      assert.deepEqual(
        (await stats.sources(...arrivalDay, 1, 'arrival')).map((x) => [x.sourceIp, x.messages, x.days]),
        [['192.0.2.1', 5, 1]],
      );
      assert.deepEqual(await stats.sourceTotals(...arrivalDay, 'arrival'), { sources: 2, messages: 10 });
      assert.deepEqual(await stats.sourceTotals('d1', '2026-11-01', '2026-11-01'), {
        sources: 2,
        messages: 10,
      });
      assert.deepEqual(await stats.sourceTotals(...arrivalDay), { sources: 0, messages: 0 });
      assert.equal(await stats.reportCount(...arrivalDay, 'arrival'), 1);
      assert.equal(await stats.reportCount(...arrivalDay), 0);
      assert.deepEqual(
        (await stats.reports(...arrivalDay, 5, 'arrival')).map((r) => r.id),
        ['first'],
      );
      assert.equal(await stats.firstDay('d1', 'cover'), '2026-11-01');
      assert.equal(await stats.firstDay('d1', 'arrival'), '2026-11-02');
      assert.equal(await stats.firstDay('nosuch', 'arrival'), null);
      assert.equal(await stats.failureCount('d1'), 0);
      assert.equal(await stats.quarantineCount(null), 0);
    });
  });
}
