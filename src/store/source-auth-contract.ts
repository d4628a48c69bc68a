/**
 * The contract of `sourceAuth` (part of the store contract, run against SQLite and PostgreSQL): the DKIM and
 * MAIL FROM SPF results of some sources over a window, summed per distinct result from complete reports only,
 * by the days reports cover or the day they arrived.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregateRecord, NewReport, ReportTotals } from '../reports/index.ts';
import { contractDomain } from './contract-fixtures.ts';
import { report as googleReport, totals as oneRecordTotals } from './report-load-contract.ts';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const report = (id: string, day: string, receivedAt: string): NewReport => ({
  ...googleReport(id),
  externalId: id,
  begin: `${day}T00:00:00Z`,
  end: `${day}T23:59:59Z`,
  day,
  receivedAt,
  dedupKey: id,
});

const record = (ip: string, count: number, selector: string, spfResult: string): AggregateRecord => ({
  sourceIp: ip as AggregateRecord['sourceIp'],
  count,
  disposition: 'none',
  dkim: 'fail',
  spf: 'fail',
  headerFrom: 'example.com',
  envelopeFrom: null,
  envelopeTo: null,
  reasons: [],
  dkimResults: [{ domain: 'sendgrid.net', selector, result: 'pass', humanResult: null }],
  spfResults: [
    { domain: 'bounces.sendgrid.net', scope: 'mfrom', result: spfResult, humanResult: null },
    { domain: 'o1.sendgrid.net', scope: 'helo', result: 'pass', humanResult: null },
  ],
});

const totals = (messages: number): ReportTotals => ({
  ...oneRecordTotals,
  messages,
  dmarcPass: 0,
  dkimAligned: 0,
  dispositionNone: messages,
});

const VERDICT = {
  trust: 'dkim' as const,
  reason: 'ok',
  verifiedDomain: 'google.com',
  at: '2026-11-02T00:00:00.000Z',
};

export function describeSourceAuthContract(withStore: WithStore): void {
  test('source auth: results summed per distinct result, complete reports only, HELO left out', async () => {
    await withStore(async (store) => {
      assert.equal(await store.domains.insert(contractDomain('d1', 'ten_a', 'example.com')), 'ok');
      const load = async (r: NewReport, records: AggregateRecord[], complete = true) => {
        await store.reports.beginReport(r);
        await store.reports.addRecords(r, records);
        if (complete)
          await store.reports.completeReport(r, totals(records.reduce((a, x) => a + x.count, 0)), VERDICT);
      };
      await load(report('r1', '2026-11-01', '2026-11-05T10:00:00.000Z'), [
        record('192.0.2.1', 5, 's1', 'pass'),
        record('192.0.2.2', 7, 's1', 'pass'),
      ]);
      await load(report('r2', '2026-11-02', '2026-11-06T10:00:00.000Z'), [
        record('192.0.2.1', 3, 's1', 'pass'),
      ]);
      await load(report('r3', '2026-11-03', '2026-11-07T10:00:00.000Z'), [
        record('192.0.2.1', 2, 's2', 'softfail'),
      ]);
      await load(
        report('staged', '2026-11-03', '2026-11-07T11:00:00.000Z'),
        [record('192.0.2.1', 100, 's9', 'fail')],
        false,
      );

      const rows = await store.reportStats.sourceAuth('d1', '2026-11-01', '2026-11-30', ['192.0.2.1']);
      assert.equal(rows.length, 1, 'only the sources asked for');
      const row = rows[0]!;
      assert.equal(row.sourceIp, '192.0.2.1');
      const sortBy = <T>(xs: readonly T[], key: (x: T) => string) =>
        [...xs].sort((a, b) => key(a).localeCompare(key(b)));
      assert.deepEqual(
        sortBy(row.dkim, (d) => d.selector ?? ''),
        [
          { signingDomain: 'sendgrid.net', selector: 's1', result: 'pass', messages: 8 },
          { signingDomain: 'sendgrid.net', selector: 's2', result: 'pass', messages: 2 },
        ],
      );
      assert.deepEqual(
        sortBy(row.spf, (s) => s.result),
        [
          { domain: 'bounces.sendgrid.net', result: 'pass', messages: 8 },
          { domain: 'bounces.sendgrid.net', result: 'softfail', messages: 2 },
        ],
      );

      // By the day covered, 2026-11-01 holds r1 alone; by arrival, 2026-11-06 holds r2 alone.
      const cover = await store.reportStats.sourceAuth('d1', '2026-11-01', '2026-11-01', [
        '192.0.2.1',
        '192.0.2.2',
      ]);
      assert.deepEqual(cover.map((r) => [r.sourceIp, r.dkim.map((d) => d.messages)]).sort(), [
        ['192.0.2.1', [5]],
        ['192.0.2.2', [7]],
      ]);
      const arrival = await store.reportStats.sourceAuth(
        'd1',
        '2026-11-06',
        '2026-11-06',
        ['192.0.2.1'],
        'arrival',
      );
      assert.deepEqual(
        arrival.map((r) => r.dkim.map((d) => d.messages)),
        [[3]],
      );
      assert.deepEqual(await store.reportStats.sourceAuth('d1', '2026-11-01', '2026-11-30', []), []);
    });
  });
}
