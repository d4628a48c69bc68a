/**
 * One zone build of a kept bench:scale store, alone, for profiling (`node --cpu-prof bench/scale/build.ts <dir>`):
 * the same builder as `senderd start` and `senderd zone export`, timed as the 'zone built' log line times it.
 */
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../../src/config/index.ts';
import { quietLogger, systemClock } from '../../src/core/index.ts';
import { ZoneKeeper } from '../../src/dns/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import { configRules, openServices, servedZoneSettings, zoneSource } from '../../src/main.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: build.ts <kept store directory, with senderd.yaml>');
const file = { path: `${dir}/senderd.yaml`, text: readFileSync(`${dir}/senderd.yaml`, 'utf8') };
const outcome = resolveConfig({ file, env: {}, cwd: dir, flags: [] }, configRules);
if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
const services = await openServices(outcome.config);
const started = performance.now();
const cpu = process.cpuUsage();
// Where the build's CPU goes: the source's calls (store reads and planning) are timed; the rest is the zone's.
const spent = new Map<string, number>();
const timed =
  <A extends unknown[], R>(label: string, f: (...a: A) => Promise<R>) =>
  async (...a: A) => {
    const c = process.cpuUsage();
    const r = await f(...a);
    const u = process.cpuUsage(c);
    spent.set(label, (spent.get(label) ?? 0) + (u.user + u.system) / 1000);
    return r;
  };
const source = zoneSource(services);
const keeper = new ZoneKeeper({
  settings: await servedZoneSettings(services),
  source: {
    ...source,
    listDomainsAfter: timed('listing domains', (after: string, limit: number) =>
      source.listDomainsAfter!(after, limit),
    ),
    hostedRecordsOf: timed('planning (store reads and plans)', (domains: readonly SenderDomain[]) =>
      source.hostedRecordsOf!(domains),
    ),
  },
  repo: services.store.dns,
  clock: systemClock,
  log: quietLogger(),
  pollIntervalMs: 1000,
  resyncIntervalMs: Number.MAX_SAFE_INTEGER,
});
await keeper.load();
const used = process.cpuUsage(cpu);
console.log(
  `built ${keeper.zone.size} names in ${(performance.now() - started).toFixed(0)} ms, ` +
    `${((used.user + used.system) / 1000).toFixed(0)} ms of CPU, serial ${keeper.serial}, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
for (const [label, ms] of spent) console.log(`  ${label}: ${ms.toFixed(0)} ms of CPU`);
await services.close();
