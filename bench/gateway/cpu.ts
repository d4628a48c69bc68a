/**
 * CPU accounting for the benchmark, from /proc (Linux): the CPU seconds a process and all its descendants have
 * used (user + system, every thread), so the gateway's cost per message can be reported apart from the load
 * generator's and the sink's, which share the same cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime + cutime + cstime, in ticks: the process, its threads and its reaped children. */
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: split after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { pid, ppid: Number(fields[1]), ticks };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** CPU seconds used so far by `pid` and every live descendant (reaped children are in their parent's cutime). */
export function treeCpuSeconds(pid: number): number {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) all.push(stat);
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const stack = all.filter((s) => s.pid === pid);
  while (stack.length > 0) {
    const s = stack.pop()!;
    ticks += s.ticks;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/** The 1-minute load average, to print beside each run (other work on the machine skews every figure). */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0]);
}

/**
 * Linux pressure stall information: the share of the last 10 s in which some runnable task waited for a CPU, and
 * in which some task waited for I/O. Other work on the machine shows here, not in our CPU seconds.
 */
export function pressure(): { cpu: number; io: number } {
  const some = (kind: string) => {
    try {
      return Number(/some avg10=([\d.]+)/.exec(readFileSync(`/proc/pressure/${kind}`, 'latin1'))?.[1] ?? NaN);
    } catch {
      return NaN;
    }
  };
  return { cpu: some('cpu'), io: some('io') };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * CPU seconds per thread name (the kernel's `comm`, e.g. `node` or `MainThread` for the event loop,
 * `libuv-worker` for the thread pool that runs RSA signing and fdatasync, `V8Worker` for GC helpers) summed over
 * `pid` and its live descendants.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  const pids = [pid];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (isDescendant(Number(name), pid)) pids.push(Number(name));
  }
  for (const p of pids) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const text = readFileSync(`/proc/${p}/task/${t}/stat`, 'latin1');
        const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
        const key = Number(t) === p ? 'main' : comm;
        out.set(key, (out.get(key) ?? 0) + seconds);
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return out;
}

function isDescendant(candidate: number, ancestor: number): boolean {
  let p = candidate;
  for (let depth = 0; depth < 8 && p > 1; depth++) {
    const stat = readStat(p);
    if (stat === undefined) return false;
    if (stat.ppid === ancestor) return true;
    p = stat.ppid;
  }
  return false;
}
