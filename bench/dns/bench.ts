/**
 * npm run bench:dns — senderd's DNS server against NSD, serving the same zone in the same run.
 *
 * A zone of 10,000 sender domains is made through the domain service; senderd serves it (`senderd start`, the
 * dns component alone) and NSD serves `senderd zone export`'s file of it. dnsperf asks both the same mix of
 * hits and NXDOMAINs. Each server is pinned to CPU 0 and dnsperf to CPU 1 (the machine has two), so the
 * server's CPU is measured apart from the client's. Printed: QPS, lost queries, server CPU seconds per 100k
 * answers, p50/p99 latency at a fixed load, and senderd's ratios to NSD; plus zone build time and RSS.
 *
 * Environment: BENCH_DOMAINS (10000), BENCH_SECONDS (10 per run), BENCH_ROUNDS (3), BENCH_WORKERS (the
 * senderd dns.workers settings to measure, "0,2"), BENCH_PIN (1: pin to CPUs; 0: let the kernel place them),
 * BENCH_LATENCY_QPS (20000). Other work on the machine moves every figure, so the servers are measured in
 * alternating rounds and the best and the median of each are reported.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoRandom } from '../../src/core/index.ts';
import { resolveConfig } from '../../src/config/index.ts';
import { configRules, openServices } from '../../src/main.ts';
import { renderKekFile } from '../../src/secrets/index.ts';
import { CORPUS, tempDir } from '../../test/support/node.ts';
import { run } from '../../test/support/tools.ts';
import { runDnsperf, type PerfResult } from './dnsperf.ts';
import { summariseGcTrace, type GcSummary } from './gc-trace.ts';
import {
  freePort,
  memoryMb,
  soaSerial,
  startChild,
  startNsdServing,
  treeCpuSeconds,
  treeMemoryMb,
  waitFor,
  type Child,
} from './processes.ts';
import { addDomains, writeQueryFile } from './zone-data.ts';

const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** senderd configurations to measure, by dns.workers: "0" alone, or "0,2" for both in the same run. */
const WORKERS = (process.env.BENCH_WORKERS ?? '0,2').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PIN = process.env.BENCH_PIN !== '0';
const LATENCY_QPS = Number(process.env.BENCH_LATENCY_QPS ?? 20_000);
const ZONE = 'bench.example.net';
const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER_CPU = PIN ? 0 : null;
const CLIENT_CPU = PIN ? 1 : null;

interface Measured {
  readonly load: PerfResult;
  readonly cpuPer100k: number;
}

interface Server {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  readonly rounds: Measured[];
  latency?: PerfResult;
  /** senderd's output, `--trace-gc` lines included; and what they say of the fixed-load run. */
  readonly output?: () => string;
  gc?: GcSummary;
}

/** One loaded run against a server: QPS, losses, and the server's CPU seconds per 100k answers. */
async function measure(server: Server, queryFile: string): Promise<Measured> {
  const base = { port: server.port, queryFile, clients: 8, outstanding: 256, cpu: CLIENT_CPU };
  await runDnsperf({ ...base, seconds: 1 }); // warm-up: caches, JIT, socket buffers
  const before = treeCpuSeconds(server.pid);
  const load = await runDnsperf({ ...base, seconds: SECONDS });
  const cpu = treeCpuSeconds(server.pid) - before;
  const m = { load, cpuPer100k: (cpu / Math.max(1, load.completed)) * 100_000 };
  console.log(
    `  ${server.name.padEnd(18)} ${load.qps.toFixed(0).padStart(7)} qps  lost ${String(load.lost).padStart(5)}  ` +
      `CPU ${cpu.toFixed(2)} s = ${m.cpuPer100k.toFixed(3)} s/100k  avg latency ${load.averageLatencyMs.toFixed(2)} ms`,
  );
  return m;
}

/** Latency at a fixed load that every server keeps up with: p50 and p99 from every answer's time. */
async function measureLatency(server: Server, queryFile: string): Promise<void> {
  const mark = server.output?.().length ?? 0;
  server.latency = await runDnsperf({
    port: server.port,
    queryFile,
    clients: 8,
    outstanding: 1000,
    cpu: CLIENT_CPU,
    seconds: 5,
    maxQps: LATENCY_QPS,
    verbose: true,
  });
  if (server.output !== undefined) server.gc = summariseGcTrace(server.output().slice(mark));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const best = (s: Server) => s.rounds.reduce((a, b) => (b.load.qps > a.load.qps ? b : a));

function report(
  servers: readonly Server[],
  pairs: ReadonlyArray<readonly [Server, Server]>,
  build: string,
  memory: string,
  nsd: { rss: number; pss: number },
): void {
  console.log(
    '\nserver               best QPS  median QPS  lost (all rounds)  CPU s/100k (median)  p50 / p99 ms at fixed load',
  );
  for (const s of servers) {
    const lost = s.rounds.reduce((n, r) => n + r.load.lost, 0);
    console.log(
      `${s.name.padEnd(20)} ${best(s).load.qps.toFixed(0).padStart(9)} ${median(
        s.rounds.map((r) => r.load.qps),
      )
        .toFixed(0)
        .padStart(11)} ` +
        `${String(lost).padStart(18)} ${median(s.rounds.map((r) => r.cpuPer100k))
          .toFixed(3)
          .padStart(20)}  ` +
        `${s.latency?.p50Ms?.toFixed(3)} / ${s.latency?.p99Ms?.toFixed(3)} (lost ${s.latency?.lost})`,
    );
  }
  for (const s of servers) {
    if (s.gc === undefined || s.latency === undefined) continue;
    console.log(
      `${s.name} GC during the fixed-load run (--trace-gc): ${s.gc.scavenges} scavenges, ${s.gc.majors} major; ` +
        `pauses ${s.gc.totalPauseMs.toFixed(1)} ms in all, longest ${s.gc.maxPauseMs.toFixed(1)} ms; ` +
        `about ${(s.gc.allocatedBytes / Math.max(1, s.latency.completed)).toFixed(0)} bytes allocated per answer`,
    );
  }
  for (const [s, reference] of pairs) {
    const ratio = (f: (x: Server) => number) => (f(s) / f(reference)).toFixed(2);
    console.log(
      `${s.name} / ${reference.name}: QPS best ${ratio((x) => best(x).load.qps)}, median ${ratio((x) => median(x.rounds.map((r) => r.load.qps)))} (target >= 0.60); ` +
        `CPU per query ${ratio((x) => median(x.rounds.map((r) => r.cpuPer100k)))}; ` +
        `p99 at ${LATENCY_QPS} qps ${ratio((x) => x.latency?.p99Ms ?? NaN)} (target <= 3.00); ` +
        `lost ${s.rounds.reduce((n, r) => n + r.load.lost, 0) + (s.latency?.lost ?? 0)} (target 0)`,
    );
  }
  console.log(
    `zone build for ${DOMAINS} domains: ${build}; memory: ${memory}; NSD RSS ${nsd.rss.toFixed(0)} MB, PSS ${nsd.pss.toFixed(0)} MB (its processes share the zone's pages)`,
  );
}

/** Starts `senderd start` (bin/senderd, as an operator runs it) over the store in `dir`, pinned or not. */
async function startSenderd(
  dir: string,
  kekFile: string,
  workers: number,
): Promise<{ child: Child; port: number; build: string }> {
  const port = await freePort();
  const configFile = join(dir, `senderd-${workers}.yaml`);
  mkdirSync(join(dir, `node-${workers}`), { recursive: true });
  writeFileSync(
    configFile,
    [
      // Each instance has a data directory of its own (one `start` per data directory: a second exits 7) and
      // reads the one store of the run.
      `dataDir: ${join(dir, `node-${workers}`)}`,
      `store: { sqlitePath: ${join(dir, 'senderd.db')} }`,
      `platform: { zone: ${ZONE}, egressIps: ['192.0.2.10', '2001:db8::10'] }`,
      // The DNS server alone: the other components would compete for the CPUs being measured (the DKIM
      // scheduler would generate 10,000 RSA keys and change the zone while dnsperf runs; the gateway and the
      // inbound listener would take the same default ports in both instances).
      'http: { enabled: false }',
      'gateway: { enabled: false }',
      'inbound: { enabled: false }',
      'edge: { enabled: false, acme: { enabled: false } }',
      'checks: { enabled: false }',
      'dkim: { scheduler: false }',
      'dmarc: { scheduler: false }',
      `dns: { host: 127.0.0.1, port: ${port}, workers: ${workers} }`,
      `domains: { publicSuffixList: ${new URL('psl/public_suffix_list.dat', CORPUS).pathname} }`,
      `secrets: { kekFile: ${kekFile} }`,
      'log: { level: info, format: json }',
    ].join('\n') + '\n',
  );
  // With workers the server gets both CPUs (the kernel spreads the threads); alone it is pinned like NSD. Node
  // runs as bin/senderd runs it, plus --trace-gc: the collections during the fixed-load run are reported.
  const child = startChild(
    process.execPath,
    [
      '--max-semi-space-size=8',
      '--trace-gc',
      join(ROOT, 'src/cli/entry.ts'),
      '--config',
      configFile,
      'start',
    ],
    workers === 0 ? SERVER_CPU : null,
  );
  await waitFor(`senderd (workers ${workers})`, 120_000, () => soaSerial(port, ZONE));
  const built = JSON.parse(
    child
      .output()
      .split('\n')
      .find((l) => l.includes('"zone built"')) ?? '{}',
  ) as { ms?: number; cpuMs?: number };
  return { child, port, build: `${built.ms} ms (${built.cpuMs} ms of CPU)` };
}

async function main(): Promise<void> {
  const dir = tempDir('senderd-bench-dns-');
  const children: Child[] = [];
  try {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `load average before: ${load} (other work on this machine skews every figure; ratios are taken in one run)`,
    );
    const kekFile = join(dir.path, 'kek.key');
    writeFileSync(kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
    const outcome = resolveConfig(
      {
        env: {},
        cwd: dir.path,
        flags: [
          `dataDir=${dir.path}`,
          `platform.zone=${ZONE}`,
          `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
          `secrets.kekFile=${kekFile}`,
        ],
      },
      configRules,
    );
    if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
    let started = performance.now();
    const services = await openServices(outcome.config);
    const domains = await addDomains(services, DOMAINS);
    await services.close();
    console.log(
      `${DOMAINS} sender domains added through the domain service in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const senderds: Array<{ server: Server; child: Child; build: string }> = [];
    for (const workers of WORKERS) {
      started = performance.now();
      const { child, port, build } = await startSenderd(dir.path, kekFile, workers);
      children.push(child);
      const name = workers === 0 ? 'senderd' : `senderd ${workers} workers`;
      console.log(
        `${name}: answering after ${((performance.now() - started) / 1000).toFixed(1)} s, zone built in ${build}, RSS ${memoryMb(child.pid).rss.toFixed(0)} MB`,
      );
      senderds.push({
        server: { name, port, pid: child.pid, rounds: [], output: () => child.output() },
        child,
        build,
      });
    }

    const zoneFile = join(dir.path, `${ZONE}.zone`);
    const exported = await run(
      join(ROOT, 'bin/senderd'),
      ['--config', join(dir.path, `senderd-${WORKERS[0]}.yaml`), 'zone', 'export', '--output', zoneFile],
      { timeoutMs: 120_000 },
    );
    if (exported.code !== 0) throw new Error(`zone export failed: ${exported.stderr}`);
    // The reference for each senderd: NSD with the same CPUs. One server process pinned like senderd alone, or
    // as many processes as senderd has workers (SO_REUSEPORT), placed by the kernel like them.
    const references = new Map<number, Server>();
    for (const workers of new Set(WORKERS)) {
      const count = Math.max(1, workers);
      const { child, port } = await startNsdServing(
        dir.path,
        ZONE,
        zoneFile,
        count,
        workers === 0 ? SERVER_CPU : null,
      );
      children.push(child);
      const name = count === 1 ? 'NSD' : `NSD ${count} processes`;
      const serial = await waitFor(name, 60_000, () => soaSerial(port, ZONE));
      console.log(`${name}: answering the exported zone, serial ${serial}`);
      references.set(workers, { name, port, pid: child.pid, rounds: [] });
    }
    console.log(`senderd serial ${await soaSerial(senderds[0]!.server.port, ZONE)}`);

    const queryFile = join(dir.path, 'queries.txt');
    writeQueryFile(queryFile, ZONE, domains, 200_000, 0.8);
    console.log(
      `dnsperf -c 8 -q 256, ${SECONDS} s per run, ${ROUNDS} rounds alternating the order; 80% hits / 20% NXDOMAIN; ` +
        `pinned: ${PIN ? 'single servers on CPU 0, dnsperf on CPU 1; multi-threaded/process servers unpinned' : 'no'}`,
    );
    const all = [...references.values(), ...senderds.map((s) => s.server)];
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1}`);
      const order = round % 2 === 0 ? all : [...all].reverse();
      for (const s of order) s.rounds.push(await measure(s, queryFile));
    }
    for (const s of all) await measureLatency(s, queryFile);
    const pairs = WORKERS.map((w, i) => [senderds[i]!.server, references.get(w)!] as const);
    const rss = senderds
      .map((s) => {
        const m = memoryMb(s.child.pid);
        return `${s.server.name} RSS ${m.rss.toFixed(0)} MB (peak ${m.peak.toFixed(0)}), PSS ${m.pss.toFixed(0)} MB`;
      })
      .join(', ');
    report(all, pairs, senderds[0]!.build, rss, treeMemoryMb(references.values().next().value!.pid));
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    dir.remove();
  }
}

await main();
