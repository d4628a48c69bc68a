import type { Reply, Transport } from './responder.ts';

/**
 * Counts of queries by transport and by the RCODE of the reply, kept in shared memory so the UDP worker threads
 * and the main thread each count in a slice of their own (no locks on the answer path: one writer per slot) and
 * the main thread sums the slices when `/metrics` is read. Slot 16 counts queries that got no reply (dropped:
 * unreadable, or by rate limiting). Doubles count exactly up to 2^53.
 */
const SLOTS = 17;
const DROPPED = 16;
const TRANSPORTS: readonly Transport[] = ['udp', 'tcp'];
const SLICE = SLOTS * TRANSPORTS.length;

export interface QueryCountersRef {
  readonly buffer: SharedArrayBuffer;
  readonly slice: number;
}

/** A buffer for `slices` writers (the UDP workers and the main thread). */
export function queryCountersBuffer(slices: number): SharedArrayBuffer {
  return new SharedArrayBuffer(slices * SLICE * Float64Array.BYTES_PER_ELEMENT);
}

/** One writer's counters. */
export class QueryCounters {
  readonly #counts: Float64Array;

  constructor(ref: QueryCountersRef) {
    this.#counts = new Float64Array(ref.buffer, ref.slice * SLICE * Float64Array.BYTES_PER_ELEMENT, SLICE);
  }

  /** Counts one query by its reply: the RCODE is the low four bits of the header's fourth octet (RFC 1035 §4.1.1). */
  record(transport: Transport, reply: Reply): void {
    const base = transport === 'udp' ? 0 : SLOTS;
    if (reply === null) this.#counts[base + DROPPED]! += 1;
    else if (Array.isArray(reply)) this.#counts[base + ((reply[0]?.[3] ?? 0) & 0x0f)]! += 1;
    else this.#counts[base]! += 1; // a zone transfer: NOERROR (failures are answered as plain replies)
  }
}

export interface QueryTotals {
  /** Queries by transport and reply RCODE (a number 0-15), or 'dropped'. */
  readonly counts: ReadonlyArray<{ transport: Transport; rcode: number | 'dropped'; count: number }>;
}

/** The sums over every writer's slice. */
export function readQueryCounters(buffer: SharedArrayBuffer): QueryTotals {
  const all = new Float64Array(buffer);
  const slices = all.length / SLICE;
  const counts: Array<{ transport: Transport; rcode: number | 'dropped'; count: number }> = [];
  TRANSPORTS.forEach((transport, t) => {
    for (let slot = 0; slot < SLOTS; slot++) {
      let count = 0;
      for (let s = 0; s < slices; s++) count += all[s * SLICE + t * SLOTS + slot]!;
      if (count > 0) counts.push({ transport, rcode: slot === DROPPED ? 'dropped' : slot, count });
    }
  });
  return { counts };
}
