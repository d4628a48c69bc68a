/**
 * Benchmark: 1,000 sender domains fully checked (both paths: the delegation from a fake root to NSD, and Unbound
 * as the resolver) with bounded concurrency. Prints the time, the queries sent, per-domain p50/p99, and the ratio
 * to a reference measured in the same run: the same number of plain queries sent by the same stub resolver at
 * the same concurrency.
 *
 *   npm run bench:checks [-- --domains 1000 --concurrency 64]
 */
import { parseArgs } from 'node:util';
import { checkDomain, DelegationCache, type DomainCheck } from '../../src/checks/index.ts';
import { cryptoRandom, systemClock } from '../../src/core/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { startDnsTree, ADDRESS, type ZoneSpec } from '../../test/checks/dns-tree.ts';
import {
  body,
  customerLines,
  dkimRecord,
  EGRESS,
  planFor,
  platformZone,
  PLATFORM,
} from '../../test/checks/scenario.ts';

const { values } = parseArgs({
  options: { domains: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '64' } },
});
const count = Number(values.domains);
const concurrency = Number(values.concurrency);

const key = dkimRecord();
const plans = Array.from({ length: count }, (_, i) =>
  planFor(`bench${String(i).padStart(4, '0')}.com`, i % 5 === 4 ? 'self-hosted' : 'delegated', key),
);
const zones: ZoneSpec[] = plans.map((p) => ({
  origin: p.domain,
  body: body(customerLines(p, p.domain)),
  servers: ['ns1'],
}));
zones.push(platformZone(plans));

process.stdout.write(`starting NSD (${zones.length + 4} zones) and Unbound...\n`);
const tree = await startDnsTree(zones, { unbound: true });
const resolver = new StubResolver({ timeoutMs: 2000, attempts: 2, random: cryptoRandom });

async function pool<T>(n: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

try {
  const delegations = new DelegationCache(systemClock);
  const started = performance.now();
  const before = resolver.queriesSent;
  const checks: DomainCheck[] = await pool(plans.length, (i) =>
    checkDomain(plans[i]!, {
      resolver,
      roots: [tree.root],
      nameserverPort: tree.port,
      recursiveResolvers: [tree.unbound!],
      delegations,
      platform: PLATFORM,
      egressIps: EGRESS,
      organizationalDomain: (n) => n.split('.').slice(-2).join('.'),
      now: () => new Date(),
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const queries = resolver.queriesSent - before;

  // Reference: the same number of plain questions (SOA of a customer zone at NSD), same resolver, same concurrency.
  const refStarted = performance.now();
  await pool(queries, (i) =>
    resolver.query({
      name: plans[i % plans.length]!.domain,
      type: 'SOA',
      server: { host: ADDRESS.ns1, port: tree.port },
      recursionDesired: false,
    }),
  );
  const refSeconds = (performance.now() - refStarted) / 1000;

  const ms = checks.map((c) => c.stats.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!;
  const grades = new Map<string, number>();
  for (const c of checks) grades.set(c.grade, (grades.get(c.grade) ?? 0) + 1);
  const records = checks.reduce((n, c) => n + c.records.length, 0);
  process.stdout.write(
    [
      `domains checked      ${checks.length} (${records} records, both paths), concurrency ${concurrency}`,
      `time                 ${seconds.toFixed(2)} s  (target: under 10 s)  ${(checks.length / seconds).toFixed(0)} domains/s`,
      `queries sent         ${queries}  (${(queries / checks.length).toFixed(1)} per domain, ${(queries / seconds).toFixed(0)} per second)`,
      `per-domain latency   p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${ms.at(-1)} ms`,
      `grades               ${[...grades].map(([g, n]) => `${g} ${n}`).join(', ')}`,
      `reference            ${queries} plain queries in ${refSeconds.toFixed(2)} s; checking costs ${(seconds / refSeconds).toFixed(2)}x the bare queries`,
      '',
    ].join('\n'),
  );
  if (seconds >= 10) process.exitCode = 1;
  if ((grades.get('perfect') ?? 0) !== checks.length) {
    const bad = checks.find((c) => c.grade !== 'perfect')!;
    process.stdout.write(
      `not all perfect, e.g. ${bad.domain}: ${JSON.stringify(bad.records.filter((r) => r.grade !== 'perfect').map((r) => [r.key, r.remarks]))}\n`,
    );
    process.exitCode = 1;
  }
} finally {
  resolver.close();
  await tree.stop();
}
