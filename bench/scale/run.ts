/**
 * npm run bench:scale — senderd's zone at 10,000, 100,000 and 1,000,000 sender domains (issue 20).
 *
 * For each size: a fresh store is filled in bulk (populate.ts: every domain's own names and records, RSA keys
 * from a pool); `senderd start` (the dns component alone) builds the zone, and its 'zone built' log gives the
 * build time; senderd's memory is read once it serves, and NSD's serving `senderd zone export`'s file of the same
 * zone (RSS summed over NSD's processes, and PSS, which counts the pages they share once). kdig counts the bytes
 * of an AXFR, and of the IXFR that follows one DKIM rotation. NSD and Knot, secondaries by IXFR with TSIG, are
 * timed from a change (a rotation through the DKIM service, in this process, on the same store) until both
 * serve it, over BENCH_CHANGES changes (p50, p99).
 *
 * Environment: BENCH_SIZES ("10000,100000,1000000"), BENCH_CHANGES (100), BENCH_POOL (64 RSA keys),
 * BENCH_KEEP (a directory: stores are kept there and reused by the next run, as populating a million domains
 * takes a while). Targets: 1,000,000 domains build in < 60 s; RSS ≤ 2× NSD at 100,000; IXFR for one rotation
 * < 4 KB; change to secondaries p99 < 2 s. Other work on the machine moves every figure: the load is printed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoRandom } from '../../src/core/index.ts';
import { resolveConfig } from '../../src/config/index.ts';
import { renderKeyStanzas } from '../../src/dns/index.ts';
import { configRules, openServices, type Services } from '../../src/main.ts';
import { renderKekFile } from '../../src/secrets/index.ts';
import { pooledKeygen } from '../../test/support/key-pool.ts';
import { startKnotSecondary, type Knot } from '../../test/support/knot.ts';
import { CORPUS, tempDir } from '../../test/support/node.ts';
import { startNsd, type Nsd } from '../../test/support/nsd.ts';
import { run } from '../../test/support/tools.ts';
import {
  freePort,
  memoryMb,
  soaSerial,
  startChild,
  startNsdServing,
  treeMemoryMb,
  waitFor,
  type Child,
} from '../dns/processes.ts';
import { keyPool, populate, type ScaleDomain } from './populate.ts';
import { transferBytes, TSIG, untilServed } from './secondaries.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 100);
const POOL = Number(process.env.BENCH_POOL ?? 64);
const KEEP = process.env.BENCH_KEEP;
const ZONE = 'bench.example.net';
const ROOT = new URL('../../', import.meta.url).pathname;
const PSL = new URL('psl/public_suffix_list.dat', CORPUS).pathname;

interface Result {
  readonly domains: number;
  readonly buildMs: number;
  readonly buildCpuMs: number;
  readonly senderd: { rss: number; pss: number };
  readonly nsd: { rss: number; pss: number };
  readonly axfr: number;
  readonly ixfr: number;
  readonly p50: number;
  readonly p99: number;
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const mb = (n: number) => `${n.toFixed(0)} MB`;
const percentile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

/** Opens (and on first use fills) the store of one size; returns the domains this run may rotate. */
async function store(dir: string, domains: number): Promise<{ services: Services; list: ScaleDomain[] }> {
  const kekFile = join(dir, 'kek.key');
  const populated = join(dir, 'populated');
  if (!existsSync(kekFile)) writeFileSync(kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
  const outcome = resolveConfig(
    {
      env: {},
      cwd: dir,
      flags: [
        `dataDir=${dir}`,
        `platform.zone=${ZONE}`,
        `domains.publicSuffixList=${PSL}`,
        `secrets.kekFile=${kekFile}`,
      ],
    },
    configRules,
  );
  if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
  const services = await openServices(outcome.config, { keygen: pooledKeygen(8) });
  if (!existsSync(populated)) {
    const started = performance.now();
    await populate(services, domains, keyPool(POOL), (done) => {
      if (done % 100_000 === 0)
        console.log(`  populated ${done} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    });
    writeFileSync(populated, new Date().toISOString());
    console.log(`  ${domains} domains stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  // A kept store is reused by later runs: each takes domains no earlier run rotated (a domain rotated once has a
  // key waiting, and a second rotation would change nothing).
  const cursor = join(dir, 'rotated-after');
  const after = existsSync(cursor) ? readFileSync(cursor, 'utf8') : '';
  const list = await services.store.domains.listAfter(after, CHANGES + 20);
  if (list.length < CHANGES + 20) throw new Error(`every domain of ${dir} was rotated once: remove it`);
  writeFileSync(cursor, list.at(-1)!.id);
  return { services, list };
}

async function startSenderd(
  dir: string,
  port: number,
  notify: number[],
): Promise<{ child: Child; built: { ms: number; cpuMs: number } }> {
  const configFile = join(dir, 'senderd.yaml');
  writeFileSync(
    configFile,
    [
      `dataDir: ${dir}`,
      `platform: { zone: ${ZONE}, egressIps: ['192.0.2.10', '2001:db8::10'] }`,
      // The DNS server alone: the other components would compete for the CPUs being measured.
      'http: { enabled: false }',
      'gateway: { enabled: false }',
      'inbound: { enabled: false }',
      'edge: { enabled: false, acme: { enabled: false } }',
      // The hourly alert pass reads every domain's reports at start: at 1,000,000 domains it held the event
      // loop for minutes, and the server's answers waited behind it.
      'alerts: { enabled: false }',
      'events: { delivery: false }',
      'checks: { enabled: false }',
      'dkim: { scheduler: false }',
      'dmarc: { scheduler: false }',
      'dns:',
      '  host: 127.0.0.1',
      `  port: ${port}`,
      `  tsigKeys: [${JSON.stringify(TSIG)}]`,
      `  secondaries: [{ address: 127.0.0.0/8, key: ${TSIG.name} }]`,
      `  notify: [${notify.map((p) => `'127.0.0.1:${p}'`).join(', ')}]`,
      `domains: { publicSuffixList: ${PSL} }`,
      `secrets: { kekFile: ${join(dir, 'kek.key')} }`,
      'log: { level: info, format: json }',
    ].join('\n') + '\n',
  );
  const child = startChild(join(ROOT, 'bin/senderd'), ['--config', configFile, 'start'], null);
  await waitFor('senderd', 3_600_000, () => soaSerial(port, ZONE));
  const line =
    child
      .output()
      .split('\n')
      .find((l) => l.includes('"zone built"')) ?? '{}';
  const built = JSON.parse(line) as { ms: number; cpuMs: number };
  return { child, built };
}

async function measure(domains: number): Promise<Result> {
  console.log(`\n${domains} domains (load average ${load()})`);
  const dir =
    KEEP === undefined
      ? tempDir(`senderd-scale-${domains}-`)
      : { path: join(KEEP, String(domains)), remove: () => undefined };
  mkdirSync(dir.path, { recursive: true });
  const children: Array<{ stop(): Promise<void> }> = [];
  const { services, list } = await store(dir.path, domains);
  try {
    const [port, nsdPort, knotPort] = [await freePort(), await freePort(), await freePort()];
    const { child: senderd, built } = await startSenderd(dir.path, port, [nsdPort, knotPort]);
    children.push(senderd);
    const mem = memoryMb(senderd.pid);
    console.log(
      `  senderd built the zone in ${built.ms} ms (${built.cpuMs} ms of CPU); RSS ${mb(mem.rss)}, PSS ${mb(mem.pss)}`,
    );

    const zoneFile = join(dir.path, 'export.zone');
    const exported = await run(
      join(ROOT, 'bin/senderd'),
      ['--config', join(dir.path, 'senderd.yaml'), 'zone', 'export', '--output', zoneFile],
      { timeoutMs: 3_600_000 },
    );
    if (exported.code !== 0) throw new Error(`zone export failed: ${exported.stderr}`);
    const reference = await startNsdServing(dir.path, ZONE, zoneFile, 1, null);
    await waitFor('NSD on the exported zone', 3_600_000, () => soaSerial(reference.port, ZONE));
    const nsdMemory = treeMemoryMb(reference.child.pid);
    await reference.child.stop();
    console.log(
      `  NSD serving the exported zone: RSS ${mb(nsdMemory.rss)} over its processes, PSS ${mb(nsdMemory.pss)}`,
    );

    const axfr = await transferBytes(port, ZONE, 'AXFR');
    console.log(`  AXFR: ${axfr.bytes} bytes, ${axfr.messages} messages, ${axfr.records} records`);

    const stanzas = renderKeyStanzas({
      ...TSIG,
      secret: TSIG.secret,
      secretFile: null,
      secretForOthers: TSIG.secret,
    });
    const key = { name: TSIG.name, stanza: stanzas.nsd };
    mkdirSync(join(dir.path, 'nsd-secondary'), { recursive: true });
    mkdirSync(join(dir.path, 'knot-secondary'), { recursive: true });
    const nsd: Nsd = await startNsd(
      join(dir.path, 'nsd-secondary'),
      ZONE,
      { primaryPort: port },
      nsdPort,
      key,
      // NSD reloads at most once a second by default (xfrd-reload-timeout: 1): a change would wait for that.
      { ixfr: true, reloadAtOnce: true },
    );
    children.push(nsd);
    const knot: Knot = await startKnotSecondary(
      join(dir.path, 'knot-secondary'),
      ZONE,
      port,
      { name: TSIG.name, stanza: stanzas.knot },
      knotPort,
    );
    children.push(knot);
    console.log(`  ports: senderd ${port}, NSD secondary ${nsdPort}, Knot secondary ${knotPort}`);
    const serial = await soaSerial(port, ZONE);
    for (const [name, p] of [
      ['NSD', nsdPort],
      ['Knot', knotPort],
    ] as const) {
      await waitFor(`${name} secondary at ${serial}`, 3_600_000, async () =>
        (await soaSerial(p, ZONE)) === serial ? true : undefined,
      );
    }

    // One rotation, and the IXFR a secondary at the serial before it gets.
    const tenant = (await services.store.domains.findById(list[0]!.id))!.tenantId;
    // A rotation publishes the domain's next key; one already waiting (rotated by an earlier run) changes nothing
    // and is not counted.
    const rotate = async (d: ScaleDomain): Promise<Map<number, number> | null> => {
      const started = performance.now();
      const { key: made, created } = await services.dkim.rotate(tenant, d.name);
      if (!created) return null;
      const name = `${made.selector}.${d.token}.dkim.${ZONE}`;
      return untilServed([port, nsdPort, knotPort], name, made.publicKey.slice(0, 60), 120_000, started);
    };
    const spare = [...list];
    let before = (await soaSerial(port, ZONE))!;
    while ((await rotate(spare.shift()!)) === null) before = (await soaSerial(port, ZONE))!;
    const ixfr = await transferBytes(port, ZONE, `IXFR=${before}`);
    console.log(`  IXFR after one rotation: ${ixfr.bytes} bytes, ${ixfr.records} records`);

    const latencies: number[] = [];
    const byServer = new Map<number, number[]>();
    while (latencies.length < CHANGES && spare.length > 0) {
      const served = await rotate(spare.shift()!);
      if (served === null) continue;
      latencies.push(Math.max(served.get(nsdPort)!, served.get(knotPort)!));
      for (const [p, ms] of served) byServer.set(p, [...(byServer.get(p) ?? []), ms]);
    }
    for (const [label, p] of [
      ['senderd', port],
      ['NSD', nsdPort],
      ['Knot', knotPort],
    ] as const) {
      const ms = byServer.get(p) ?? [];
      console.log(
        `    served by ${label}: p50 ${percentile(ms, 0.5).toFixed(0)} ms, p99 ${percentile(ms, 0.99).toFixed(0)} ms`,
      );
    }
    // The transfers senderd served, by kind (a secondary falling back to whole-zone transfers shows here), and
    // Knot's log, kept beside a kept store for a later look.
    const kinds = new Map<string, number>();
    for (const line of senderd.output().split('\n')) {
      if (!line.includes('"zone transferred"')) continue;
      const kind = (JSON.parse(line) as { kind?: string }).kind ?? '?';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    console.log(`  transfers served: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (KEEP !== undefined) writeFileSync(join(dir.path, 'knot-secondary.log'), knot.log());
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    console.log(
      `  change to both secondaries over ${latencies.length} rotations: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    return {
      domains,
      buildMs: built.ms,
      buildCpuMs: built.cpuMs,
      senderd: mem,
      nsd: nsdMemory,
      axfr: axfr.bytes,
      ixfr: ixfr.bytes,
      p50,
      p99,
    };
  } finally {
    for (const c of children.reverse()) await c.stop();
    await services.close();
    dir.remove();
  }
}

const results: Result[] = [];
for (const size of SIZES) results.push(await measure(size));
console.log(`\nload average after: ${load()}`);
console.log(
  'domains    build (CPU)          senderd RSS / PSS    NSD RSS / PSS     PSS ratio  AXFR bytes     IXFR/rotation  change p50 / p99',
);
for (const r of results) {
  console.log(
    `${String(r.domains).padEnd(10)} ${`${(r.buildMs / 1000).toFixed(1)} s (${(r.buildCpuMs / 1000).toFixed(1)} s)`.padEnd(20)} ` +
      `${`${mb(r.senderd.rss)} / ${mb(r.senderd.pss)}`.padEnd(20)} ${`${mb(r.nsd.rss)} / ${mb(r.nsd.pss)}`.padEnd(17)} ` +
      `${(r.senderd.pss / r.nsd.pss).toFixed(2).padEnd(10)} ${String(r.axfr).padEnd(14)} ${String(r.ixfr).padEnd(14)} ` +
      `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms`,
  );
}
console.log(
  'targets: 1,000,000 domains build in < 60 s; RSS <= 2x NSD at 100,000; IXFR for one rotation < 4 KB; change to secondaries p99 < 2 s',
);
