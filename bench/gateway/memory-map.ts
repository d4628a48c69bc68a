/**
 * Where a process's resident memory is, for the memory benchmark (issue 14 item 6): /proc/<pid>/smaps summed by
 * kind of mapping, beside what the process itself says of V8's heap and its Buffers (the gateway child prints that
 * on SIGUSR2, test/support/gateway-process.ts). The difference between the anonymous memory and V8's resident
 * heap is native: malloc's arenas (Buffers' backing stores, OpenSSL, libuv), thread stacks.
 */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

const MiB = 1024 * 1024;

export interface MemoryMap {
  /** glibc's main arena ([heap], grown with brk). */
  readonly brkHeap: number;
  /** Anonymous mappings: V8's heap, malloc's thread arenas and its mmap'd blocks, stacks. */
  readonly anonymous: number;
  /** Files mapped in: code, libraries, ICU data. */
  readonly fileBacked: number;
  readonly total: number;
}

/** Resident bytes of a process by kind of mapping. */
export function memoryMap(pid: number): MemoryMap {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  let brkHeap = 0;
  let anonymous = 0;
  let fileBacked = 0;
  let name = '';
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      name = header[1] ?? '';
      continue;
    }
    const field = /^(\w+):\s+(\d+) kB/.exec(line);
    if (!field) continue;
    const bytes = Number(field[2]) * 1024;
    if (field[1] !== 'Rss') continue;
    if (name === '[heap]') brkHeap += bytes;
    else if (name.startsWith('/')) fileBacked += bytes;
    else anonymous += bytes;
  }
  return { brkHeap, anonymous, fileBacked, total: brkHeap + anonymous + fileBacked };
}

export interface ReportedMemory {
  readonly memory: NodeJS.MemoryUsage;
  readonly heapSpaces: ReadonlyArray<{ name: string; size: number; used: number; physical: number }>;
}

/** Asks the gateway child for its own figures (SIGUSR2) and waits for the line. */
export function reportedMemory(child: ChildProcess): Promise<ReportedMemory> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.stdout?.off('data', onData);
      reject(new Error('the gateway did not report its memory'));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"memory":'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(JSON.parse(line) as ReportedMemory);
    };
    child.stdout?.on('data', onData);
    child.kill('SIGUSR2');
  });
}

/** One line: resident memory by mapping kind, V8's resident heap by space, and Buffers. */
export function describeMemory(map: MemoryMap, reported: ReportedMemory): string {
  const mib = (n: number) => (n / MiB).toFixed(0);
  const v8 = reported.heapSpaces.reduce((n, s) => n + s.physical, 0);
  const spaces = reported.heapSpaces
    .filter((s) => s.physical >= MiB)
    .map((s) => `${s.name.replace(/_space$/, '')} ${mib(s.physical)}`)
    .join(', ');
  const m = reported.memory;
  return (
    `RSS ${mib(map.total)} MiB = [heap] ${mib(map.brkHeap)} + anonymous ${mib(map.anonymous)} ` +
    `+ files ${mib(map.fileBacked)}; ` +
    `V8 resident ${mib(v8)} (${spaces}), used ${mib(m.heapUsed)}; Buffers ${mib(m.arrayBuffers)}, external ${mib(m.external)}; ` +
    `native rest ≈ ${mib(map.brkHeap + map.anonymous - v8)}`
  );
}
