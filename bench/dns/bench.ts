/**
 * npm run bench:dns — senderd's DNS server against NSD, serving the same zone in the same run.
 *
 * A zone of 10,000 sender domains is made through the domain service; senderd serves it (`senderd start`, the
 * dns component alone) and NSD serves `senderd zone export`'s file of it. dnsperf asks both the same mix of
 * hits and NXDOMAINs. Each server is pinned to CPU 0 and dnsperf to CPU 1 (the machine has two), so the
 * server's CPU is measured apart from the client's. Printed: QPS, lost queries, server CPU seconds per 100k
 * answers, p50/p99 latency at a fixed load, and senderd's ratios to NSD; plus zone build time and RSS.
 *
 * Environment: BENCH_DOMAINS (10000), BENCH_SECONDS (10), BENCH_WORKERS (senderd dns.workers, 0),
 * BENCH_PIN (1: pin to CPUs; 0: let the kernel place them), BENCH_LATENCY_QPS (20000).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cryptoRandom, quietLogger } from '../../src/core/index.ts';
import { resolveConfig } from '../../src/config/index.ts';
import { openServices } from '../../src/main.ts';
import { renderKekFile } from '../../src/secrets/index.ts';
import { CORPUS, tempDir } from '../../test/support/node.ts';
import { run } from '../../test/support/tools.ts';
import { runDnsperf, type PerfResult } from './dnsperf.ts';
import { cpuSeconds, memoryMb, soaSerial, startChild, waitFor, type Child } from './processes.ts';
import { addDomains, writeQueryFile } from './zone-data.ts';

const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);
const PIN = process.env.BENCH_PIN !== '0';
const LATENCY_QPS = Number(process.env.BENCH_LATENCY_QPS ?? 20_000);
const ZONE = 'bench.example.net';
const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER_CPU = PIN ? 0 : null;
const CLIENT_CPU = PIN ? 1 : null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** CPU seconds of a process and all its descendants (NSD forks its serving process). */
function treeCpuSeconds(root: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    try {
      total += cpuSeconds(pid);
    } catch {
      return;
    }
    for (const [child, parent] of parents) if (parent === pid) walk(child);
  };
  walk(root);
  return total;
}

function treeMemoryMb(root: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number(entry) === root || ppid === root) total += memoryMb(Number(entry)).rss;
    } catch {
      // gone
    }
  }
  return total;
}

interface Measured {
  readonly load: PerfResult;
  readonly latency: PerfResult;
  readonly cpuPer100k: number;
}

async function measure(name: string, port: number, pid: number, queryFile: string): Promise<Measured> {
  const base = { port, queryFile, clients: 8, outstanding: 256, cpu: CLIENT_CPU };
  await runDnsperf({ ...base, seconds: 2 }); // warm-up: caches, JIT, socket buffers
  const before = treeCpuSeconds(pid);
  const load = await runDnsperf({ ...base, seconds: SECONDS });
  const cpu = treeCpuSeconds(pid) - before;
  const latency = await runDnsperf({
    ...base,
    seconds: 5,
    maxQps: LATENCY_QPS,
    verbose: true,
    outstanding: 1000,
  });
  const cpuPer100k = (cpu / Math.max(1, load.completed)) * 100_000;
  console.log(
    `${name.padEnd(8)} ${load.qps.toFixed(0).padStart(8)} qps  lost ${String(load.lost).padStart(6)}  ` +
      `cpu ${cpu.toFixed(2)} s = ${cpuPer100k.toFixed(3)} s/100k  avg ${load.averageLatencyMs.toFixed(2)} ms  ` +
      `at ${LATENCY_QPS} qps: p50 ${latency.p50Ms?.toFixed(3)} ms p99 ${latency.p99Ms?.toFixed(3)} ms lost ${latency.lost}  [${load.rcodes}]`,
  );
  return { load, latency, cpuPer100k };
}

async function main(): Promise<void> {
  const dir = tempDir('senderd-bench-dns-');
  const children: Child[] = [];
  try {
    const kekFile = join(dir.path, 'kek.key');
    writeFileSync(kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
    const senderdPort = await freePort();
    const configFile = join(dir.path, 'senderd.yaml');
    writeFileSync(
      configFile,
      [
        `dataDir: ${dir.path}`,
        `platform: { zone: ${ZONE}, egressIps: ['192.0.2.10', '2001:db8::10'] }`,
        'http: { enabled: false }',
        `dns: { host: 127.0.0.1, port: ${senderdPort}, workers: ${WORKERS} }`,
        `domains: { publicSuffixList: ${new URL('psl/public_suffix_list.dat', CORPUS).pathname} }`,
        `secrets: { kekFile: ${kekFile} }`,
        'log: { level: info, format: json }',
      ].join('\n') + '\n',
    );
    const outcome = resolveConfig({
      env: {},
      cwd: dir.path,
      flags: [],
      file: { path: configFile, text: readFileSync(configFile, 'utf8') },
    });
    if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));

    let started = performance.now();
    const services = await openServices(outcome.config);
    const domains = await addDomains(services, DOMAINS);
    await services.close();
    console.log(`${DOMAINS} sender domains added in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const senderd = startChild(
      join(ROOT, 'node_modules/.bin/node'),
      [join(ROOT, 'src/cli/entry.ts'), '--config', configFile, 'start'],
      SERVER_CPU,
    );
    children.push(senderd);
    started = performance.now();
    await waitFor('senderd', 120_000, () => soaSerial(senderdPort, ZONE));
    const built = JSON.parse(
      senderd
        .output()
        .split('\n')
        .find((l) => l.includes('"zone built"')) ?? '{}',
    ) as { ms?: number; names?: number };
    const buildMs = built.ms ?? NaN;
    console.log(
      `senderd answering after ${((performance.now() - started) / 1000).toFixed(1)} s; zone build ${buildMs} ms (${built.names} names); RSS ${memoryMb(senderd.pid).rss.toFixed(0)} MB`,
    );

    const zoneFile = join(dir.path, `${ZONE}.zone`);
    const exported = await run(
      join(ROOT, 'bin/senderd'),
      ['--config', configFile, 'zone', 'export', '--output', zoneFile],
      { timeoutMs: 120_000 },
    );
    if (exported.code !== 0) throw new Error(`zone export failed: ${exported.stderr}`);
    const nsdPort = await freePort();
    const nsdConf = join(dir.path, 'nsd.conf');
    writeFileSync(
      nsdConf,
      [
        'server:',
        '  ip-address: 127.0.0.1',
        `  port: ${nsdPort}`,
        '  username: ""',
        '  chroot: ""',
        '  database: ""',
        `  zonesdir: "${dir.path}"`,
        `  pidfile: "${dir.path}/nsd.pid"`,
        `  logfile: "${dir.path}/nsd.log"`,
        `  xfrdfile: "${dir.path}/xfrd.state"`,
        `  zonelistfile: "${dir.path}/zone.list"`,
        '  server-count: 1',
        '  rrl-ratelimit: 0',
        '  verbosity: 1',
        'remote-control:',
        '  control-enable: no',
        'zone:',
        `  name: ${ZONE}`,
        `  zonefile: "${zoneFile}"`,
      ].join('\n') + '\n',
    );
    const nsd = startChild('nsd', ['-d', '-c', nsdConf], SERVER_CPU);
    children.push(nsd);
    const nsdSerial = await waitFor('NSD', 60_000, () => soaSerial(nsdPort, ZONE));
    console.log(`NSD answering, serial ${nsdSerial}`);

    const queryFile = join(dir.path, 'queries.txt');
    writeQueryFile(queryFile, ZONE, domains, 200_000, 0.8);
    console.log(
      `dnsperf: 8 clients, 256 outstanding, ${SECONDS} s, 80% hits / 20% NXDOMAIN; pinned: ${PIN}; senderd dns.workers: ${WORKERS}`,
    );

    const n = await measure('NSD', nsdPort, nsd.pid, queryFile);
    const s = await measure('senderd', senderdPort, senderd.pid, queryFile);
    const rss = memoryMb(senderd.pid);
    console.log(
      `senderd RSS ${rss.rss.toFixed(0)} MB (peak ${rss.peak.toFixed(0)} MB); NSD RSS ${treeMemoryMb(nsd.pid).toFixed(0)} MB`,
    );
    console.log(
      `ratios senderd/NSD: QPS ${(s.load.qps / n.load.qps).toFixed(2)} (target >= 0.90), ` +
        `CPU per query ${(s.cpuPer100k / n.cpuPer100k).toFixed(2)} (target <= 2.00), ` +
        `p99 ${((s.latency.p99Ms ?? NaN) / (n.latency.p99Ms ?? NaN)).toFixed(2)}; ` +
        `lost senderd ${s.load.lost} (target 0); build ${buildMs} ms (target < 2000); RSS ${rss.peak.toFixed(0)} MB (target < 300)`,
    );
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    dir.remove();
    quietLogger();
  }
}

await main();
