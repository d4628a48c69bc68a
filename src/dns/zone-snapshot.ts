import { entryRecords, entryWireName, wireToName } from './entry-records.ts';
import { RRType } from '../dns-wire/index.ts';
import type { WireRecord } from './wire-record.ts';

/**
 * The zone as it was at one moment, to walk while the zone goes on changing: a zone transfer of a million names
 * takes seconds and is sent as the secondary reads it (RFC 5936 §2.2 wants one version, SOA first and last). The
 * arena never changes an entry once written, and keeps the bytes of a replaced one until it is copied elsewhere,
 * so the offsets of the entries that were live, and the buffer they were in, are a consistent copy for free.
 */
export class ZoneSnapshot {
  readonly soa: WireRecord;
  readonly #data8: Uint8Array;
  readonly #entries: Int32Array;
  readonly #apexWire: Uint8Array;

  /** `entries`: the offsets of the live name entries in `data8`, the arena's bytes at that moment. */
  constructor(soa: WireRecord, data8: Uint8Array, entries: Int32Array, apexWire: Uint8Array) {
    this.soa = soa;
    this.#data8 = data8;
    this.#entries = entries;
    this.#apexWire = apexWire;
  }

  /** Names in the snapshot (owners and empty non-terminals). */
  get names(): number {
    return this.#entries.length;
  }

  /** Every record but the SOA, name by name in the order they were written. */
  *records(): Generator<WireRecord> {
    for (const entry of this.#entries) {
      if (this.#data8[entry + 5] === 0) continue;
      const wire = entryWireName(this.#data8, entry, this.#apexWire);
      for (const r of entryRecords(this.#data8, entry, wireToName(wire), wire)) {
        if (r.type !== RRType.SOA) yield r;
      }
    }
  }

  /** The SOA, then every other record. */
  *all(): Generator<WireRecord> {
    yield this.soa;
    yield* this.records();
  }
}
