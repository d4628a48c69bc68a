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

/** A day's aggregate report of google.com about example.com (domain d1 of tenant ten_a). */
export const report = (id: string): NewReport => ({
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

export const record: AggregateRecord = {
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

export const totals: ReportTotals = {
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

const DKIM_VERDICT = {
  trust: 'dkim' as const,
  reason: 'DKIM signature of d=google.com verified',
  verifiedDomain: 'google.com',
  at: '2026-11-02T00:00:00.000Z',
};
const UNVERIFIED = {
  trust: 'unverified' as const,
  reason: 'nothing proves google.com',
  verifiedDomain: null,
  at: '2026-11-02T00:00:00.000Z',
};

export function describeReportLoadContract(withStore: WithStore): void {
  test('report loads: a verified report replaces an unverified one with the same key, roll-ups and all', async () => {
    await withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const repo = store.reports;
      const window = ['d1', '2026-10-01', '2026-12-01'] as const;
      const forgedRecord = { ...record, sourceIp: '198.51.100.9' as AggregateRecord['sourceIp'], count: 50 };
      const forgedTotals = { ...totals, messages: 50, dmarcPass: 50, dkimAligned: 50, dispositionNone: 50 };
      assert.deepEqual(await repo.beginReport(report('forged')), { started: true });
      await repo.addRecords(report('forged'), [forgedRecord]);
      assert.deepEqual(await repo.completeReport(report('forged'), forgedTotals, UNVERIFIED), {
        completed: true,
        replaced: null,
      });
      // Another unverified copy is a duplicate; the verified one starts and takes the forged one's place.
      assert.deepEqual(await repo.beginReport(report('again')), { started: true });
      assert.deepEqual(await repo.completeReport(report('again'), forgedTotals, UNVERIFIED), {
        completed: false,
        existingId: 'forged',
      });
      assert.deepEqual(await repo.beginReport(report('genuine')), { started: true });
      await repo.addRecords(report('genuine'), [record]);
      assert.deepEqual(await repo.completeReport(report('genuine'), totals, DKIM_VERDICT), {
        completed: true,
        replaced: 'forged',
      });
      const listed = await store.reportStats.reports(...window, 10);
      assert.deepEqual(
        listed.map((r) => [r.id, r.trust, r.verifiedDomain]),
        [['genuine', 'dkim', 'google.com']],
      );
      const daily = await store.reportStats.daily(...window);
      assert.deepEqual(
        daily.map((d) => [d.reports, d.messages, d.dmarcPass]),
        [[1, 5, 5]],
        'the forged figures are out of the roll-ups',
      );
      const sources = (await store.reportStats.sources(...window, 10)).filter((x) => x.messages !== 0);
      assert.deepEqual(
        sources.map((x) => [x.sourceIp, x.messages]),
        [['192.0.2.1', 5]],
      );
      const reporters = await store.reportStats.reporters(
        { tenantId: null, domainId: 'd1' },
        '2026-10-01',
        '2026-12-01',
      );
      assert.deepEqual(
        reporters.map((r) => [r.reporter, r.reports, r.messages]),
        [['google.com', 1, 5]],
      );
      // Once verified, nothing replaces it.
      assert.deepEqual(await repo.beginReport(report('late')), { started: false, existingId: 'genuine' });
    });
  });

  test('report loads: verified-only source figures, legacy reports in their transition, operator trust', async () => {
    await withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const repo = store.reports;
      const window = ['d1', '2026-10-01', '2026-12-01'] as const;
      const load = async (id: string, ip: string, verdict: typeof UNVERIFIED | typeof DKIM_VERDICT) => {
        const r = { ...report(id), dedupKey: id, reporter: `${id}.example` };
        await repo.beginReport(r);
        await repo.addRecords(r, [{ ...record, sourceIp: ip as AggregateRecord['sourceIp'] }]);
        await repo.completeReport(r, totals, verdict);
      };
      await load('real', '192.0.2.1', DKIM_VERDICT);
      await load('fake', '198.51.100.9', UNVERIFIED);
      const all = await store.reportStats.sources(...window, 10);
      assert.deepEqual(all.map((x) => x.sourceIp).sort(), ['192.0.2.1', '198.51.100.9']);
      const verified = await store.reportStats.sources(...window, 10, 'cover', {
        legacyAfter: '2026-01-01T00:00:00Z',
      });
      assert.deepEqual(
        verified.map((x) => [x.sourceIp, x.messages, x.dmarcPass, x.days]),
        [['192.0.2.1', 5, 5, 1]],
      );
      const trustRows = await store.reportStats.reporterTrust(
        { tenantId: 'ten_a', domainId: null },
        '2026-10-01',
        '2026-12-01',
      );
      assert.deepEqual(
        trustRows.map((r) => [r.reporter, r.trust, r.verifiedDomain, r.reports]),
        [
          ['fake.example', 'unverified', null, 1],
          ['real.example', 'dkim', 'google.com', 1],
        ],
      );
      const trusted = await repo.trustReports({
        tenantId: 'ten_a',
        domainId: null,
        reporter: 'fake.example',
        from: ['unverified', 'legacy'],
        reason: 'trusted by admin@example.com',
        at: '2026-11-03T00:00:00.000Z',
      });
      assert.equal(trusted, 1);
      const after = await store.reportStats.sources(...window, 10, 'cover', {
        legacyAfter: '2026-01-01T00:00:00Z',
      });
      assert.deepEqual(after.map((x) => x.sourceIp).sort(), ['192.0.2.1', '198.51.100.9']);
    });
  });

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
      assert.deepEqual(await repo.completeReport(report('first'), totals, DKIM_VERDICT), {
        completed: true,
        replaced: null,
      });
      assert.deepEqual(await repo.completeReport(report('second'), totals, DKIM_VERDICT), {
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
      await repo.completeReport(report('first'), { ...totals, records: 2, messages: 10 }, DKIM_VERDICT);
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
