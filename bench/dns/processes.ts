/** Child processes of the benchmarks (senderd, NSD, dnsperf): start, wait until ready, read CPU and memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { run } from '../../test/support/tools.ts';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** User + system CPU seconds the process has used so far (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Resident memory now and at its peak, and the proportional share (PSS: pages shared with other processes, such
 * as NSD's forked server, counted once across them), in MB.
 */
export function memoryMb(pid: number): { rss: number; peak: number; pss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (text: string, key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  let pss = 0;
  try {
    pss = kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') / 1024;
  } catch {
    // no smaps_rollup (an old kernel): PSS stays 0
  }
  return { rss: kb(status, 'VmRSS') / 1024, peak: kb(status, 'VmHWM') / 1024, pss };
}

/** A free TCP port on 127.0.0.1 (UDP on the same number is tried by the caller). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** The process and all its descendants (NSD forks its transfer daemon and its server processes). */
function processTree(root: number): number[] {
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
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const [child, parent] of parents) if (parent === pid) walk(child);
  };
  walk(root);
  return out;
}

/** CPU seconds of a process and all its descendants. */
export function treeCpuSeconds(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Memory of a process and all its descendants: the sum of their RSS (which counts pages they share once per
 * process) and of their PSS (which counts each page once), in MB.
 */
export function treeMemoryMb(root: number): { rss: number; pss: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of processTree(root)) {
    try {
      const m = memoryMb(pid);
      rss += m.rss;
      pss += m.pss;
    } catch {
      // gone
    }
  }
  return { rss, pss };
}

/** NSD serving a zone file, with `count` server processes (SO_REUSEPORT), rate limiting off. */
export async function startNsdServing(
  dir: string,
  zone: string,
  zoneFile: string,
  count: number,
  cpu: number | null,
): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const base = join(dir, `nsd-${count}`);
  mkdirSync(base, { recursive: true });
  const conf = join(base, 'nsd.conf');
  writeFileSync(
    conf,
    [
      'server:',
      '  ip-address: 127.0.0.1',
      `  port: ${port}`,
      '  username: ""',
      '  chroot: ""',
      '  database: ""',
      `  zonesdir: "${base}"`,
      `  pidfile: "${base}/nsd.pid"`,
      `  logfile: "${base}/nsd.log"`,
      `  xfrdfile: "${base}/xfrd.state"`,
      `  zonelistfile: "${base}/zone.list"`,
      `  server-count: ${count}`,
      `  reuseport: ${count > 1 ? 'yes' : 'no'}`,
      '  rrl-ratelimit: 0',
      '  verbosity: 1',
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: ${zone}`,
      `  zonefile: "${zoneFile}"`,
    ].join('\n') + '\n',
  );
  return { child: startChild('nsd', ['-d', '-c', conf], cpu), port };
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a command (optionally pinned to a CPU with taskset) and collects its output. */
export function startChild(
  command: string,
  args: readonly string[],
  cpu: number | null,
  env?: NodeJS.ProcessEnv,
): Child {
  const argv = cpu === null ? [command, ...args] : ['taskset', '-c', String(cpu), command, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    process: child,
    pid: child.pid!,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The SOA serial a server gives for the zone, or undefined while it does not answer. */
export async function soaSerial(port: number, zone: string): Promise<number | undefined> {
  const r = await run(
    'dig',
    ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=1', zone, 'SOA'],
    { timeoutMs: 5000 },
  );
  const serial = Number(r.stdout.trim().split(/\s+/)[2]);
  return r.code === 0 && Number.isFinite(serial) && serial > 0 ? serial : undefined;
}
