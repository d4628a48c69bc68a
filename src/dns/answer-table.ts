import type { AnswerBytes, NameAnswers } from './answer-store.ts';
import { ArenaWriter } from './answer-store-writer.ts';
import { writeRecord, writeRecordTail, type ResourceRecord } from './resource-record.ts';
import { HEADER_LENGTH, RRType } from './wire-codes.ts';
import { nameKey } from './wire-name.ts';
import { WireWriter } from './wire-writer.ts';
import type { Resolution, Zone } from './zone.ts';

/**
 * Compiles the zone into pre-encoded answers (MEASURED.md: encoding per query costs a third of the speed).
 * Each body is encoded as if it followed a question for exactly that name at offset 12, so owner names are
 * 2-byte pointers to the question, whose case the client chose (RFC 4343 §4). The SOA of negative answers is
 * kept apart (it changes with every serial) and appended per query. The answers live in a shared arena
 * (answer-store.ts) that UDP worker threads read without copying.
 */

/** Scratch space for a name's key: the arena copies it. */
const keyScratch = Buffer.allocUnsafeSlow(256);
/** One writer for every encoding: encoding is synchronous and never nested. */
const scratch = new WireWriter(0, 4096);

/** Wire length of a dotted name of ASCII labels: a length octet per label, the labels, the root octet. */
function wireLength(name: string): number {
  return name === '' ? 1 : name.length + 2;
}

/** Encodes a resolution as it would follow a question for `qname` at offset 12. */
export function encodeResolution(qname: string, resolution: Resolution): AnswerBytes {
  if (resolution.negative && resolution.additional.length > 0) {
    throw new Error('a negative answer carries no additional records');
  }
  const w = scratch.reset(HEADER_LENGTH + wireLength(qname) + 4);
  w.knowName(qname, HEADER_LENGTH);
  for (const rr of resolution.answer) writeRecord(w, rr);
  for (const rr of resolution.authority) writeRecord(w, rr);
  const requiredLength = w.length;
  for (const rr of resolution.additional) writeRecord(w, rr);
  return {
    rcode: resolution.rcode,
    negative: resolution.negative,
    answerCount: resolution.answer.length,
    authorityCount: resolution.authority.length,
    additionalCount: resolution.additional.length,
    requiredLength,
    body: w.toBuffer(),
  };
}

/** The answers of one name, from the zone. */
export function compileName(zone: Zone, name: string): NameAnswers {
  const own = zone.typesAt(name);
  if (!own.includes(RRType.CNAME)) {
    const answers = own.map((type) => encodeResolution(name, zone.resolve(name, type)));
    return { types: own, answers, fallback: null, any: answers[0] ?? null };
  }
  // RFC 1034 §4.3.2: a CNAME answers every type; the chain's end decides which types have data.
  const end = zone.chainEnd(name);
  const types = [...new Set([RRType.CNAME, ...zone.typesAt(end)])].sort((a, b) => a - b);
  const answers = types.map((type) => encodeResolution(name, zone.resolve(name, type)));
  const fallback = encodeResolution(name, zone.resolve(name, -1));
  return { types, answers, fallback, any: answers[types.indexOf(RRType.CNAME)]! };
}

/** Keeps the arena in step with the zone, name by name. */
export class AnswerTable {
  readonly #zone: Zone;
  readonly arena: ArenaWriter;
  /** Name → names whose answers embed its records (CNAME chains, MX/NS additional data). */
  readonly #dependents = new Map<string, Set<string>>();
  readonly #dependencies = new Map<string, string[]>();
  /** The apex as a folded wire key, and its length. */
  readonly apexKey: Uint8Array;

  constructor(zone: Zone, arena = new ArenaWriter()) {
    this.#zone = zone;
    this.arena = arena;
    this.apexKey = Buffer.from(nameKey(zone.apex), 'latin1');
  }

  get size(): number {
    return this.arena.size;
  }

  /** Prepares every name of the zone. */
  rebuildAll(): void {
    this.#dependents.clear();
    this.#dependencies.clear();
    const names = [...this.#zone.existingNames()];
    // About 200 octets per name (a DKIM key takes 450, an empty non-terminal 40).
    this.arena.reserve(names.length * 200, names.length);
    this.refresh(names);
  }

  /** Re-prepares the given names (and the names whose answers depend on them); drops names that are gone. */
  refresh(names: Iterable<string>): void {
    const todo = new Set<string>();
    for (const name of names) {
      todo.add(name);
      for (const dependent of this.#dependents.get(name) ?? []) todo.add(dependent);
    }
    for (const name of todo) this.#prepare(name);
    this.#prepareSoaTail();
  }

  #prepare(name: string): void {
    for (const old of this.#dependencies.get(name) ?? []) this.#dependents.get(old)?.delete(name);
    this.#dependencies.delete(name);
    const key = keyScratch.subarray(0, keyScratch.write(nameKey(name), 'latin1'));
    if (!this.#zone.exists(name)) {
      this.arena.delete(key);
      return;
    }
    this.arena.put(key, compileName(this.#zone, name));
    const dependencies = this.#zone.dependenciesOf(name);
    if (dependencies.length > 0) {
      this.#dependencies.set(name, dependencies);
      for (const d of dependencies) {
        let set = this.#dependents.get(d);
        if (set === undefined) this.#dependents.set(d, (set = new Set()));
        set.add(name);
      }
    }
  }

  #prepareSoaTail(): void {
    const soa = this.#zone.soa();
    if (soa.data.type !== 'SOA') throw new Error('SOA record without SOA data');
    // RFC 2308 §3: the SOA of a negative answer has the TTL min(SOA TTL, SOA MINIMUM).
    const negative: ResourceRecord = { ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) };
    const w = new WireWriter(0, 64);
    // Names in the RDATA stay uncompressed: the tail lands at a different offset in every answer.
    writeRecordTail(w, negative, false);
    this.arena.setSoaTail(w.view());
  }
}
