/**
 * npm run bench:edge — senderd's edge against nginx, serving the same ECDSA P-256 certificate and the same 302
 * redirect for clicks.example.com in the same run.
 *
 * Two figures, each as senderd's ratio to nginx (targets: ≥ 0.5× requests/s, ≥ 0.7× handshakes/s):
 * - requests/s: HTTPS keep-alive, BENCH_CLIENTS connections, GET / answered 302, for BENCH_SECONDS;
 * - full TLS handshakes/s: one request per connection (Connection: close), session resumption off on both.
 * Each server is pinned to CPU 0 (nginx with one worker; senderd is one process) and h2load to CPU 1, and their
 * CPU time is read from /proc, so each figure also comes as server CPU per request. A bare node:https server
 * answering the same 302 (bare-server.ts) is measured beside them: the floor of the runtime. Other work on the machine
 * moves every figure: the servers are measured in alternating rounds (BENCH_ROUNDS) and the median is reported.
 *
 * With BENCH_MODE=click the request is a tracked click instead (`GET /c/<token>`, issue 17): senderd verifies the
 * token's HMAC, finds its message (cached), answers 302 to the signed URL and records the click (classified,
 * stored, an event) off the response path; nginx answers `return 302` for `/c/`. Target ≥ 0.5× requests/s.
 *
 * Environment: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_CLIENTS (32), BENCH_PIN (1: pin to CPUs; 0: do not),
 * BENCH_MODE (root: GET / on the click host; click: GET /c/<token>), BENCH_HANDSHAKES (1; 0: keep-alive only),
 * BENCH_RECIPIENTS (1: every click is the same token; n: the clicks go over n recipients' tokens in turn, as a
 * newsletter's do, so each is a different recipient's first click and the burst rule's store lookup is real).
 */
import { readFileSync } from 'node:fs';
import { tempDir } from '../../test/support/node.ts';
import { treeCpuSeconds } from '../dns/processes.ts';
import { h2load, type LoadResult } from './h2load.ts';
import {
  HOST,
  RECIPIENTS,
  startBareNode,
  startNginx,
  startSenderd,
  writeCertificate,
  type Served,
} from './servers.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const PIN = process.env.BENCH_PIN !== '0';
const MODE = process.env.BENCH_MODE === 'click' ? 'click' : 'root';
const HANDSHAKES = process.env.BENCH_HANDSHAKES !== '0';
const SERVER_CPU = PIN ? 0 : null;
const CLIENT_CPU = PIN ? 1 : null;

interface Sample {
  readonly rate: number;
  /** Server CPU microseconds per request. */
  readonly cpuUs: number;
}

async function measure(server: Served, kind: 'keep-alive' | 'handshakes', requests: number): Promise<Sample> {
  const before = treeCpuSeconds(server.child.pid);
  const result: LoadResult =
    kind === 'keep-alive'
      ? await h2load({
          port: server.port,
          host: HOST,
          clients: CLIENTS,
          cpu: CLIENT_CPU,
          seconds: SECONDS,
          ...loadPath(server),
        })
      : await h2load({
          port: server.port,
          host: HOST,
          clients: CLIENTS,
          cpu: CLIENT_CPU,
          requests,
          ...loadPath(server),
        });
  const cpu = treeCpuSeconds(server.child.pid) - before;
  if (result.failed > 0 || result.errored > 0 || result.redirects !== result.succeeded)
    throw new Error(`${server.name} ${kind}: ${JSON.stringify(result)}`);
  // Keep-alive CPU includes the warm-up second, so per request it is read over every request answered.
  const answered = kind === 'keep-alive' ? result.rate * (result.seconds + 1) : result.succeeded;
  return { rate: result.rate, cpuUs: (cpu / answered) * 1e6 };
}

const pathOf = (server: Served) => (MODE === 'click' ? server.clickPath : '/');
/** What h2load requests of a server: its path, or in click mode with BENCH_RECIPIENTS the file of every recipient's click. */
let clickFile: string | undefined;
const loadPath = (server: Served): { path: string } | { inputFile: string } =>
  MODE === 'click' && clickFile !== undefined ? { inputFile: clickFile } : { path: pathOf(server) };

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = tempDir('senderd-bench-edge-');
  const servers: Served[] = [];
  try {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `edge benchmark (${MODE === 'click' ? `tracked clicks, GET /c/<token>, ${RECIPIENTS} recipient(s)` : 'GET /'}): ${ROUNDS} rounds, ${SECONDS} s each, ${CLIENTS} connections; load average ${load}`,
    );
    const files = writeCertificate(dir.path);
    servers.push(
      await startSenderd(dir.path, files, SERVER_CPU),
      await startNginx(dir.path, files, SERVER_CPU),
      await startBareNode(files, SERVER_CPU),
    );
    clickFile = servers[0]!.clickFile;
    // Warm-up (JIT, TLS contexts), and the size of a handshake run that takes about BENCH_SECONDS on nginx.
    for (const s of servers)
      await h2load({
        port: s.port,
        host: HOST,
        clients: CLIENTS,
        cpu: CLIENT_CPU,
        seconds: 2,
        ...loadPath(s),
      });
    const pilot = !HANDSHAKES
      ? { rate: 0 }
      : await h2load({
          port: servers[1]!.port,
          host: HOST,
          clients: CLIENTS,
          cpu: CLIENT_CPU,
          requests: 2000,
          ...loadPath(servers[1]!),
        });
    const handshakeRequests = Math.max(2000, Math.round(pilot.rate * SECONDS));
    const samples = new Map(
      servers.map((s) => [s.name, { keepAlive: [] as Sample[], handshakes: [] as Sample[] }]),
    );
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of round % 2 === 1 ? servers : [...servers].reverse()) {
        const mine = samples.get(s.name)!;
        mine.keepAlive.push(await measure(s, 'keep-alive', 0));
        if (HANDSHAKES) mine.handshakes.push(await measure(s, 'handshakes', handshakeRequests));
        else mine.handshakes.push({ rate: NaN, cpuUs: NaN });
        console.log(
          `round ${round} ${s.name.padEnd(10)} ${mine.keepAlive.at(-1)!.rate.toFixed(0).padStart(7)} req/s keep-alive   ${mine.handshakes.at(-1)!.rate.toFixed(0).padStart(6)} handshakes/s`,
        );
      }
    }
    const summary = (name: string) => {
      const m = samples.get(name)!;
      return {
        rps: median(m.keepAlive.map((x) => x.rate)),
        rpsCpu: median(m.keepAlive.map((x) => x.cpuUs)),
        hs: median(m.handshakes.map((x) => x.rate)),
        hsCpu: median(m.handshakes.map((x) => x.cpuUs)),
      };
    };
    const sd = summary('senderd');
    const ng = summary('nginx');
    console.log('');
    console.log('median             keep-alive req/s (CPU µs/req)    full handshakes/s (CPU µs/handshake)');
    const bare = summary('node:https');
    for (const [name, x] of [
      ['senderd', sd],
      ['nginx', ng],
      ['node:https bare', bare],
    ] as const)
      console.log(
        `${name.padEnd(17)}  ${x.rps.toFixed(0).padStart(8)} (${x.rpsCpu.toFixed(1).padStart(6)})            ${x.hs.toFixed(0).padStart(8)} (${x.hsCpu.toFixed(0).padStart(5)})`,
      );
    console.log(
      `senderd / nginx   ${(sd.rps / ng.rps).toFixed(2)}× requests/s (target ≥ 0.5), ${(ng.rpsCpu / sd.rpsCpu).toFixed(2)}× by CPU per request`,
    );
    if (HANDSHAKES)
      console.log(
        `                  ${(sd.hs / ng.hs).toFixed(2)}× handshakes/s (target ≥ 0.7), ${(ng.hsCpu / sd.hsCpu).toFixed(2)}× by CPU per handshake`,
      );
    console.log(
      `senderd / bare    ${(bare.rpsCpu / sd.rpsCpu).toFixed(2)}× by CPU per request${HANDSHAKES ? `, ${(bare.hsCpu / sd.hsCpu).toFixed(2)}× by CPU per handshake` : ''} (the runtime's floor: node:https alone)`,
    );
  } finally {
    for (const s of servers) await s.child.stop();
    dir.remove();
  }
}

await main();
