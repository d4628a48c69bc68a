/**
 * What V8's `--trace-gc` lines say about a stretch of a server's life: how many collections, how long they paused
 * the thread that answers, and how much was allocated (the young generation's growth between collections).
 *
 * A line reads `[pid:isolate]  1234 ms: Scavenge 87.8 (98.4) -> 81.4 (98.4) MB, pooled: 0 MB, 0.64 / 0.00 ms ...`
 * (heap before -> after, then the pause). Worker threads are isolates of their own, told apart by the address.
 */
export interface GcSummary {
  readonly scavenges: number;
  /** Mark-compact (major) collections. */
  readonly majors: number;
  readonly totalPauseMs: number;
  readonly maxPauseMs: number;
  /** Bytes allocated over the stretch, from heap growth between collections (a lower bound). */
  readonly allocatedBytes: number;
}

const LINE =
  /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: (Scavenge|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)\S*\s+([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB,(?: pooled: [\d.]+ MB,)? ([\d.]+) \/ [\d.]+ ms/;

export function summariseGcTrace(text: string): GcSummary {
  let scavenges = 0;
  let majors = 0;
  let totalPauseMs = 0;
  let maxPauseMs = 0;
  let allocatedMb = 0;
  const lastAfter = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const [, isolate, kind, before, after, pause] = m;
    if (kind === 'Scavenge' || kind === 'Minor Mark-Sweep') scavenges++;
    else majors++;
    const pauseMs = Number(pause);
    totalPauseMs += pauseMs;
    maxPauseMs = Math.max(maxPauseMs, pauseMs);
    const previous = lastAfter.get(isolate!);
    if (previous !== undefined) allocatedMb += Math.max(0, Number(before) - previous);
    lastAfter.set(isolate!, Number(after));
  }
  return { scavenges, majors, totalPauseMs, maxPauseMs, allocatedBytes: allocatedMb * 1024 * 1024 };
}
