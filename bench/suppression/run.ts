/**
 * Benchmark: the suppression lookup the gateway makes at every RCPT, with 1,000,000 suppressed addresses of one
 * tenant (and 100,000 of another) in SQLite. Measured: lookups per second and p50/p99 of
 * `SuppressionService.check` (normalisation, Kysely, node:sqlite, the expiry condition), half of them addresses on
 * the list and half not, one at a time as RCPT commands come; the reference in the same run is a bare prepared
 * `SELECT` by primary key through node:sqlite on the same database file. Target (issue 18): p99 < 1 ms.
 *
 *   npm run bench:suppression [-- --entries 1000000 --lookups 100000]
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import type { SuppressionsTable } from '../../src/store/suppression-tables.ts';
import { openTestServices } from '../../test/support/node.ts';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '100000' },
  },
});
const entries = Number(values.entries);
const lookups = Number(values.lookups);
const TARGET_P99_MS = 1;

const address = (i: number) => `user${i}@d${i % 5000}.example.com`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function summary(name: string, times: Float64Array, totalMs: number) {
  const sorted = times.slice().sort();
  return {
    name,
    perSecond: Math.round((times.length / totalMs) * 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

const s = await openTestServices();
try {
  const tenant = await s.accounts.addTenant('bench');
  const other = await s.accounts.addTenant('other');
  const loadStart = performance.now();
  const at = new Date().toISOString();
  for (const [t, count] of [
    [tenant.id, entries],
    [other.id, Math.round(entries / 10)],
  ] as const) {
    for (let i = 0; i < count; i += 5000) {
      const rows: Insertable<SuppressionsTable>[] = [];
      for (let j = i; j < Math.min(count, i + 5000); j++) {
        rows.push({
          tenant_id: t,
          address: address(j),
          reason: 'hard-bounce',
          source: 'bounce',
          evidence: '550 5.1.1 <x>: Recipient address rejected: User unknown in virtual mailbox table',
          message_id: null,
          created_at: at,
          expires_at: j % 10 === 0 ? '2099-01-01T00:00:00.000Z' : null,
          created_by: 'gateway',
        });
      }
      // 9 columns × 5000 rows would pass SQLite's 32,766 bound parameters: insert in slices of 3000.
      await s.store.db.transaction().execute(async (trx) => {
        for (let k = 0; k < rows.length; k += 3000) {
          await trx
            .insertInto('suppressions')
            .values(rows.slice(k, k + 3000))
            .execute();
        }
      });
    }
  }
  const loadMs = performance.now() - loadStart;
  const probes = Array.from({ length: lookups }, (_, i) =>
    // Even: on the list; odd: an address never added.
    i % 2 === 0 ? address(Math.floor(Math.random() * entries)) : `nobody${i}@d${i % 5000}.example.com`,
  );

  const bare = new DatabaseSync(join(s.dir.path, 'senderd.db'), { readOnly: true });
  const select = bare.prepare(
    'select 1 from suppressions where tenant_id = ? and address = ? and (expires_at is null or expires_at > ?)',
  );
  const now = new Date().toISOString();
  // Warm both paths (page cache, prepared statements, JIT), and leave the loading's garbage behind.
  for (let i = 0; i < 2000; i++) {
    await s.suppressions.check(tenant.id, probes[i]!);
    select.get(tenant.id, probes[i]!, now);
  }
  (globalThis as { gc?: () => void }).gc?.();

  // The two paths take turns, 1,000 lookups each, so both see the same machine (load, page cache, collector).
  const times = new Float64Array(lookups);
  const bareTimes = new Float64Array(lookups);
  let found = 0;
  let bareFound = 0;
  let senderdMs = 0;
  let bareMs = 0;
  for (let block = 0; block < lookups; block += 1000) {
    const end = Math.min(lookups, block + 1000);
    const t0 = performance.now();
    for (let i = block; i < end; i++) {
      const started = performance.now();
      if ((await s.suppressions.check(tenant.id, probes[i]!)) !== null) found++;
      times[i] = performance.now() - started;
    }
    const t1 = performance.now();
    for (let i = block; i < end; i++) {
      const started = performance.now();
      if (select.get(tenant.id, probes[i]!, now) !== undefined) bareFound++;
      bareTimes[i] = performance.now() - started;
    }
    senderdMs += t1 - t0;
    bareMs += performance.now() - t1;
  }
  const senderd = summary('SuppressionService.check', times, senderdMs);
  const reference = summary('bare prepared SELECT (node:sqlite)', bareTimes, bareMs);
  bare.close();

  const plan = new DatabaseSync(join(s.dir.path, 'senderd.db'), { readOnly: true })
    .prepare('explain query plan select 1 from suppressions where tenant_id = ? and address = ?')
    .all('x', 'y')
    .map((r) => (r as { detail: string }).detail)
    .join('; ');
  const fmt = (r: typeof senderd) =>
    `${r.name.padEnd(36)} ${String(r.perSecond).padStart(8)}/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  max ${r.max.toFixed(2)} ms`;
  console.log(
    `suppression lookups: ${entries} entries (+${Math.round(entries / 10)} of another tenant), ${lookups} lookups, half on the list`,
  );
  console.log(
    `loaded in ${(loadMs / 1000).toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; plan: ${plan}`,
  );
  console.log(fmt(senderd));
  console.log(fmt(reference));
  console.log(
    `ratio: ${(senderd.perSecond / reference.perSecond).toFixed(2)}× the bare SELECT's rate; p99 ${senderd.p99.toFixed(3)} ms against the target < ${TARGET_P99_MS} ms: ${senderd.p99 < TARGET_P99_MS ? 'reached' : 'NOT reached'}`,
  );
  if (found !== bareFound || found < lookups * 0.45) throw new Error(`found ${found}, bare ${bareFound}`);
} finally {
  await s.close();
}
