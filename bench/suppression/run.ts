/**
 * Benchmark: the suppression lookup the gateway makes at every RCPT, with 1,000,000 suppressed addresses of one
 * tenant (and 100,000 of another) in SQLite or PostgreSQL. Measured: lookups per second and p50/p99 of
 * `SuppressionService.check` (normalisation of the address and of the MAIL FROM domain, Kysely, the driver, the
 * scope and expiry conditions), half of them addresses on the list and half not, one at a time as RCPT commands come; the reference in the same run is a bare prepared
 * `SELECT` by (tenant_id, address), the primary key's prefix, through the same driver on the same database (node:sqlite; pg with a named prepared
 * statement on its own connection). Target (issue 18): p99 < 1 ms on SQLite. PostgreSQL runs as the tests run it
 * (test/support/postgres.ts: a throwaway server on a Unix socket, default settings).
 *
 *   npm run bench:suppression [-- --store sqlite|postgres --entries 1000000 --lookups 100000]
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import pg from 'pg';
import type { SuppressionsTable } from '../../src/store/suppression-tables.ts';
import { openTestServices } from '../../test/support/node.ts';
import { startPostgres, type TestPostgres } from '../../test/support/postgres.ts';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '100000' },
    store: { type: 'string', default: 'sqlite' },
  },
});
if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error('--store sqlite or postgres');
const postgres = values.store === 'postgres';
const entries = Number(values.entries);
const lookups = Number(values.lookups);
const TARGET_P99_MS = 1;

const address = (i: number) => `user${i}@d${i % 5000}.example.com`;
/**
 * The MAIL FROM domain the gateway passes with each RCPT (an entry may be scoped to one sender domain, so the
 * lookup is for the tenant's own entry or that domain's; docs/bounces.md). Every entry here is the tenant's own.
 */
const SENDER_DOMAIN = 'news.example.com';

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

let server: TestPostgres | undefined;
let url = '';
if (postgres) {
  server = await startPostgres();
  url = await server.newDatabase();
}
const s = await openTestServices({
  set: postgres ? ['store.driver=postgres', `store.postgresUrl=${url}`] : [],
});

/** The reference lookup and the query plan, on the same database through the same driver as the store's. */
interface Bare {
  readonly name: string;
  get(tenantId: string, address: string, now: string): Promise<boolean> | boolean;
  /** The plan of the lookup for these values. */
  plan(tenantId: string, address: string, now: string): Promise<string>;
  close(): Promise<void>;
}

async function bareLookup(): Promise<Bare> {
  const sqlText =
    'select 1 from suppressions where tenant_id = $1 and address = $2 and (expires_at is null or expires_at > $3)';
  if (postgres) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('analyze suppressions');
    return {
      name: 'bare prepared SELECT (pg)',
      get: async (t, a, n) =>
        (await client.query({ name: 'suppressed', text: sqlText, values: [t, a, n] })).rowCount === 1,
      plan: async (t, a, n) =>
        (await client.query<{ 'QUERY PLAN': string }>({ text: `explain ${sqlText}`, values: [t, a, n] })).rows
          .map((r) => r['QUERY PLAN'].trim())
          .join('; '),
      close: () => client.end(),
    };
  }
  const file = join(s.dir.path, 'senderd.db');
  const bare = new DatabaseSync(file, { readOnly: true });
  const select = bare.prepare(sqlText.replace(/\$\d/g, '?'));
  return {
    name: 'bare prepared SELECT (node:sqlite)',
    get: (t, a, n) => select.get(t, a, n) !== undefined,
    plan: (t, a) =>
      Promise.resolve(
        bare
          .prepare('explain query plan select 1 from suppressions where tenant_id = ? and address = ?')
          .all(t, a)
          .map((r) => (r as { detail: string }).detail)
          .join('; '),
      ),
    close: () => {
      bare.close();
      return Promise.resolve();
    },
  };
}

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
      // 9 columns × 5000 rows would pass SQLite's 32,766 bound parameters: insert in slices of 3000 (27,000
      // parameters, within PostgreSQL's 65,535 too).
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

  const bare = await bareLookup();
  const now = new Date().toISOString();
  // Warm both paths (page cache, prepared statements, JIT), and leave the loading's garbage behind.
  for (let i = 0; i < 2000; i++) {
    await s.suppressions.check(tenant.id, probes[i]!, SENDER_DOMAIN);
    await bare.get(tenant.id, probes[i]!, now);
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
      if ((await s.suppressions.check(tenant.id, probes[i]!, SENDER_DOMAIN)) !== null) found++;
      times[i] = performance.now() - started;
    }
    const t1 = performance.now();
    for (let i = block; i < end; i++) {
      const started = performance.now();
      if (await bare.get(tenant.id, probes[i]!, now)) bareFound++;
      bareTimes[i] = performance.now() - started;
    }
    senderdMs += t1 - t0;
    bareMs += performance.now() - t1;
  }
  const senderd = summary('SuppressionService.check', times, senderdMs);
  const reference = summary(bare.name, bareTimes, bareMs);
  const plan = await bare.plan(tenant.id, probes[0]!, now);
  await bare.close();
  const fmt = (r: typeof senderd) =>
    `${r.name.padEnd(36)} ${String(r.perSecond).padStart(8)}/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  max ${r.max.toFixed(2)} ms`;
  console.log(
    `suppression lookups (${values.store}): ${entries} entries (+${Math.round(entries / 10)} of another tenant), ${lookups} lookups, half on the list`,
  );
  console.log(
    `loaded in ${(loadMs / 1000).toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; plan: ${plan}`,
  );
  console.log(fmt(senderd));
  console.log(fmt(reference));
  console.log(
    `ratio: ${(senderd.perSecond / reference.perSecond).toFixed(2)}× the bare SELECT's rate; p99 ${senderd.p99.toFixed(3)} ms against the target < ${TARGET_P99_MS} ms${postgres ? ' (set for SQLite)' : ''}: ${senderd.p99 < TARGET_P99_MS ? 'reached' : 'NOT reached'}`,
  );
  if (found !== bareFound || found < lookups * 0.45) throw new Error(`found ${found}, bare ${bareFound}`);
} finally {
  await s.close();
  await server?.stop();
}
