/**
 * Benchmark: what naming senders adds to a domain's sources view. A domain receives `--rows` aggregate-report
 * rows over its last 30 days (30 daily reports from 20,000 sources, through the real intake), then the 30-day
 * top-`--limit` sources are read `--runs` times two ways, in the same run on the same store:
 *
 * - the reference: what the view read before: the capped roll-up read and the window's totals;
 * - the view as served: `ReportStatistics.sources`, which adds the auth results of the listed sources (a read of
 *   their records in the window) and identifies each against the catalogue.
 *
 * It prints the median of each and their ratio, and the pure identification's cost per source.
 *
 *   npm run bench:senders [-- --rows 200000 --runs 15 --limit 1000]
 */
import { parseArgs } from 'node:util';
import { identifySender, shippedCatalogue } from '../../src/senders/index.ts';
import { openTestServices } from '../../test/support/node.ts';
import { record, REPORT_TAIL, reportHead } from '../reports/generate.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '15' },
    limit: { type: 'string', default: '1000' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const limit = Number(values.limit);
const DOMAIN = 'bench.example.com';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const s = await openTestServices();
try {
  const tenant = await s.accounts.addTenant('bench');
  const domain = await s.domains.add(tenant.id, DOMAIN);
  const now = Date.now();
  const perDay = Math.ceil(rows / 30);
  const started = performance.now();
  for (let day = 0; day < 30; day++) {
    const begin = Math.floor((now - (day + 1) * 86_400_000) / 1000);
    function* chunks() {
      yield Buffer.from(reportHead(DOMAIN, `bench-senders-${day}`, begin));
      for (let i = 0; i < perDay; i += 5000) {
        let text = '';
        for (let j = i; j < Math.min(perDay, i + 5000); j++) text += record(DOMAIN, day * perDay + j, 20_000);
        yield Buffer.from(text);
      }
      yield Buffer.from(REPORT_TAIL);
    }
    const result = await s.reports.ingest({
      source: chunks(),
      via: 'import',
      recipients: [`${domain.token}@reports.mail.example.net`],
      name: `bench-${day}.xml`,
    });
    if (result.outcomes[0]?.status !== 'stored') throw new Error(`report ${day} was not stored`);
  }
  process.stdout.write(
    `setup: ${(perDay * 30).toLocaleString('en')} rows over 30 days in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const window = s.reportStats.window(30);
  // The reference is what the view read before senders were named: the capped roll-up read and the totals.
  const reference = await timed(() =>
    Promise.all([
      s.store.reportStats.sources(domain.id, window.from, window.to, limit),
      s.store.reportStats.sourceTotals(domain.id, window.from, window.to),
    ]),
  );
  const named = await timed(() => s.reportStats.sources(tenant.id, DOMAIN, { days: 30 }, limit));
  const listed = await s.reportStats.sources(tenant.id, DOMAIN, { days: 30 }, limit);
  const ips = listed.rows.map((r) => r.sourceIp);
  const authRead = await timed(() => s.store.reportStats.sourceAuth(domain.id, window.from, window.to, ips));

  const catalogue = shippedCatalogue();
  const evidence = listed.rows.map((r) => ({
    ...r,
    dkim: [{ signingDomain: DOMAIN, selector: 'sd1', result: 'pass', messages: r.messages }],
    spf: [{ domain: DOMAIN, result: 'softfail', messages: r.messages }],
  }));
  const t = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) for (const e of evidence) identifySender(catalogue, e, DOMAIN);
  const perSource = ((performance.now() - t) * 1000) / (rounds * Math.max(1, evidence.length));

  process.stdout.write(
    [
      `30-day top ${limit} sources, median of ${runs}:`,
      `  reference (roll-up read and totals)   ${reference.toFixed(1)} ms`,
      `  with named senders (as served)        ${named.toFixed(1)} ms   ratio ${(named / reference).toFixed(2)}`,
      `  of which the auth results' read       ${authRead.toFixed(1)} ms   ratio ${(authRead / reference).toFixed(2)}`,
      `identification: ${perSource.toFixed(1)} µs per source over ${catalogue.length} services`,
      '',
    ].join('\n'),
  );
} finally {
  await s.close();
}
