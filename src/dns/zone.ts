import {
  compileName,
  chainOf,
  groupRecords,
  resolveName,
  type Resolution,
  type RRset,
  type ZoneView,
} from './answer-compiler.ts';
import { ENTRY_HEADER, EntryFlag, Kind, type NameAnswers } from './answer-store.ts';
import { ArenaWriter } from './answer-store-writer.ts';
import { entryRecords, entryWireName, wireToName } from './entry-records.ts';
import type { ResourceRecord } from './resource-record.ts';
import { isAtOrBelow, nameToWire, RRType } from '../dns-wire/index.ts';
import { presentRdata, recordIdentity, rdataTarget, toWireRecord, type WireRecord } from './wire-record.ts';
import { ContributorBook } from './zone-contributors.ts';
import { ZoneSnapshot } from './zone-snapshot.ts';

export type { Resolution };

/**
 * The authoritative zone, kept as its pre-encoded answers in the shared arena (answer-store.ts) and nothing else
 * per name: no JavaScript object per name or record survives a change. Records arrive by contributor (the
 * platform, or one sender domain) and a contributor's records are replaced as a unit; names where several
 * contributors publish are merged (RFC 2181 §5). Empty non-terminals exist (RFC 8020) and are counted in place.
 * When journalling, the zone remembers each changed name's records as they were before, so that the difference
 * between two versions can be given to IXFR (RFC 1995).
 */

/** The difference between two versions of the zone's records, the SOA left out. */
export interface ZoneDiff {
  readonly deleted: readonly WireRecord[];
  readonly added: readonly WireRecord[];
}

const NO_ANSWERS: NameAnswers = { types: [], answers: [], fallback: null, any: null };
/**
 * A sender domain's share of the arena, generously: about 1.3 KB with one RSA-2048 key (its names, an empty
 * non-terminal, its bookkeeping), 2 KB with three keys published. Pages never written are never resident.
 */
const BYTES_PER_DOMAIN = 2048;
const ENTRIES_PER_DOMAIN = 10;
const keyScratch = new Uint8Array(256);
const ancestorScratch = new Uint8Array(256);
const wireScratch = new Uint8Array(512);

export class Zone implements ZoneView {
  readonly apex: string;
  /** The apex as a wire name (lower case), the suffix every name of the zone shares. */
  readonly apexWire: Uint8Array;
  readonly arena: ArenaWriter;
  readonly #book: ContributorBook;
  /** Names with records from several contributors: each contributor's records there (usually none exist). */
  readonly #shared = new Map<string, Array<{ readonly number: number; readonly records: WireRecord[] }>>();
  /** In-zone MX exchanges and NS hosts, with how many records point at each: their addresses go in answers. */
  readonly #addressTargets = new Map<string, number>();
  /** Names on some CNAME chain → the CNAME owners whose answers carry their records. */
  readonly #chainDependents = new Map<string, Set<string>>();
  readonly #chains = new Map<string, readonly string[]>();
  /** The addresses of MX/NS targets, as answers carry them (cleared when a target's addresses change). */
  readonly #addresses = new Map<string, readonly WireRecord[]>();
  /** Work left by the current change: CNAME owners to recompile; whether some target's addresses changed. */
  readonly #stale = new Set<string>();
  #addressesChanged = false;
  #owners = 0;
  #soa: ResourceRecord | undefined;
  /** While journalling: each changed name's records before the first change since `takeChanges`. */
  #before: Map<string, WireRecord[]> | null = null;

  constructor(apex: string, arena = new ArenaWriter()) {
    this.apex = apex.toLowerCase();
    this.apexWire = nameToWire(this.apex);
    this.arena = arena;
    this.#book = new ContributorBook(arena, this.apex);
  }

  /** Owner names (names with records of their own). */
  get size(): number {
    return this.#owners;
  }

  /**
   * Replaces every record of `contributor` with `records` (none removes it). Returns false when they are the
   * records it already has (nothing was done). Throws, changing nothing, when a record cannot be in the zone.
   */
  replace(contributor: string, records: readonly ResourceRecord[]): boolean {
    const wire = this.#toWire(records);
    return this.#replace(contributor, wire, this.#book.digestOf(contributor, wire));
  }

  /** Whether `records` differ from the contributor's records in the zone (what `replace` would change). */
  differs(contributor: string, records: readonly ResourceRecord[]): boolean {
    const wire = this.#toWire(records);
    const previous = this.#book.get(contributor);
    if (previous === null) return wire.length > 0;
    return !previous.digest.equals(this.#book.digestOf(contributor, wire));
  }

  #toWire(records: readonly ResourceRecord[]): WireRecord[] {
    return records.map((rr) => {
      const name = rr.name.toLowerCase();
      if (!isAtOrBelow(name, this.apex)) throw new Error(`${rr.name} is outside the zone ${this.apex}`);
      this.#foldKey(name);
      return toWireRecord(rr);
    });
  }

  /**
   * Makes room for about this many sender domains ahead of a full build, so the arena is not copied again and
   * again as it grows (each copy touches every page anew).
   */
  reserve(domains: number): void {
    this.arena.reserve(domains * BYTES_PER_DOMAIN, domains * ENTRIES_PER_DOMAIN);
  }

  /** Sets the SOA (a new serial is not new content: the digest leaves the serial out). */
  setSoa(soa: ResourceRecord): void {
    if (soa.data.type !== 'SOA' || soa.name.toLowerCase() !== this.apex)
      throw new Error('not the SOA of the zone');
    const record = toWireRecord(soa);
    const unserialled = toWireRecord({ ...soa, data: { ...soa.data, serial: 0 } });
    this.#soa = soa;
    // Written even when only the serial changed: the digest leaves it out, the answers carry it.
    this.#replace('soa', [record], this.#book.digestOf('soa', [unserialled]), true);
    // RFC 2308 §3: the SOA of a negative answer has the TTL min(SOA TTL, SOA MINIMUM). Its names stay
    // uncompressed: the tail lands at a different offset in every answer.
    const tail = Buffer.alloc(10 + record.rdata.length);
    tail.writeUInt16BE(RRType.SOA, 0);
    tail.writeUInt16BE(1, 2);
    tail.writeUInt32BE(Math.min(soa.ttl, soa.data.minimum), 4);
    tail.writeUInt16BE(record.rdata.length, 8);
    tail.set(record.rdata, 10);
    this.arena.setSoaTail(tail);
  }

  #replace(contributor: string, records: readonly WireRecord[], digest: Buffer, always = false): boolean {
    const previous = this.#book.get(contributor);
    if (previous !== null && previous.digest.equals(digest) && !always) return false;
    if (previous === null && records.length === 0) return false;
    const number = previous?.number ?? this.#book.allocate();
    const grouped = new Map<string, WireRecord[]>();
    for (const r of records) {
      const list = grouped.get(r.name);
      if (list === undefined) grouped.set(r.name, [r]);
      else list.push(r);
    }
    for (const name of previous?.names ?? []) if (!grouped.has(name)) this.#contribute(name, number, []);
    for (const [name, mine] of grouped) this.#contribute(name, number, mine);
    this.#book.set(
      contributor,
      previous,
      grouped.size === 0 ? null : { number, digest, names: [...grouped.keys()] },
    );
    this.#settleDependents();
    return true;
  }

  /** Sets one contributor's records at one name, merging with others' there. */
  #contribute(name: string, number: number, mine: WireRecord[]): void {
    const key = this.#relativeKey(name);
    const entry = this.arena.find(key);
    const data8 = this.arena.reader.data8;
    const owned = entry !== 0 && data8[entry + 5]! > 0;
    const owner = entry === 0 ? 0 : this.arena.reader.data32[(entry >> 2) + 4]!;
    let contributions = this.#shared.get(name)?.filter((c) => c.number !== number);
    if (contributions === undefined) {
      contributions =
        owned && owner !== number ? [{ number: owner, records: this.#decode(entry, name) }] : [];
    }
    if (mine.length > 0) contributions.push({ number, records: mine });
    if (contributions.length >= 2) this.#shared.set(name, contributions);
    else this.#shared.delete(name);
    const merged =
      contributions.length === 1 ? contributions[0]!.records : contributions.flatMap((c) => c.records);
    this.#write(
      name,
      key,
      entry,
      groupRecords(merged),
      contributions.length === 1 ? contributions[0]!.number : 0,
    );
  }

  /** Compiles a name's answers into the arena (or removes it), keeping counts and dependents right. */
  #write(name: string, key: Uint8Array, entry: number, sets: readonly RRset[], owner: number): void {
    const reader = this.arena.reader;
    const owned = entry !== 0 && reader.data8[entry + 5]! > 0;
    const flagsBefore = entry === 0 ? 0 : reader.data8[entry + 7]!;
    const below = entry === 0 ? 0 : reader.data32[(entry >> 2) + 5]!;
    const watched = this.#addressTargets.has(name) || this.#before !== null;
    const before =
      owned && (watched || (flagsBefore & EntryFlag.EMBEDS) !== 0) ? this.#decode(entry, name) : [];
    if (this.#before !== null && !this.#before.has(name)) this.#before.set(name, before);
    for (const r of before) this.#countTarget(r, -1);
    if (sets.length === 0) {
      if (!owned) return;
      if (below > 0) this.arena.put(key, NO_ANSWERS, { owner: 0, below, flags: 0 });
      else this.arena.delete(key);
      this.#owners--;
      this.#countAncestors(key, -1);
    } else {
      let flags = 0;
      for (const set of sets) {
        for (const r of set.records) {
          if (r.type === RRType.CNAME) flags |= EntryFlag.CNAME;
          if (this.#countTarget(r, +1)) flags |= EntryFlag.EMBEDS;
        }
      }
      // A CNAME owner's answers, or a host's own, follow its new records before they are written.
      const view =
        (flags & EntryFlag.CNAME) !== 0 || this.#addressTargets.has(name) ? this.#viewWith(name, sets) : this;
      this.arena.put(key, compileName(view, name, this.#wireOf(key), sets), { owner, below, flags });
      if (!owned) {
        this.#owners++;
        this.#countAncestors(key, +1);
      }
      if ((flags & EntryFlag.CNAME) !== 0) this.#stale.add(name);
    }
    if (this.#addressTargets.has(name) && !sameAddresses(before, sets)) {
      this.#addressesChanged = true;
      this.#addresses.clear();
    }
    for (const dependent of this.#chainDependents.get(name) ?? []) this.#stale.add(dependent);
    if ((flagsBefore & EntryFlag.CNAME) !== 0 && sets.length === 0) this.#forgetChain(name);
  }

  /** Counts an MX/NS/CNAME record's in-zone target; true when it has one. */
  #countTarget(r: WireRecord, delta: 1 | -1): boolean {
    if (r.type !== RRType.MX && r.type !== RRType.NS && r.type !== RRType.CNAME) return false;
    const target = rdataTarget(r);
    if (target === undefined || !isAtOrBelow(target, this.apex)) return false;
    if (r.type === RRType.CNAME) return true;
    const count = (this.#addressTargets.get(target) ?? 0) + delta;
    if (count <= 0) this.#addressTargets.delete(target);
    else this.#addressTargets.set(target, count);
    return true;
  }

  /** After a change: recompiles CNAME owners whose chains changed, and answers carrying changed addresses. */
  #settleDependents(): void {
    if (this.#addressesChanged) {
      this.#addressesChanged = false;
      const entries = this.arena.liveEntries(Kind.NAME);
      const { data8 } = this.arena.reader;
      for (const entry of entries) {
        if ((data8[entry + 7]! & EntryFlag.EMBEDS) !== 0) this.#stale.add(this.#nameOf(data8, entry));
      }
    }
    for (let round = 0; this.#stale.size > 0 && round < 2; round++) {
      const names = [...this.#stale];
      this.#stale.clear();
      for (const name of names) {
        const sets = this.rrsetsAt(name);
        if (sets === undefined) continue;
        const key = this.#relativeKey(name);
        const entry = this.arena.find(key);
        const d32 = this.arena.reader.data32;
        this.arena.put(key, compileName(this.#viewWith(name, sets), name, this.#wireOf(key), sets), {
          owner: d32[(entry >> 2) + 4]!,
          below: d32[(entry >> 2) + 5]!,
          flags: this.arena.reader.data8[entry + 7]!,
        });
        if (sets.some((s) => s.type === RRType.CNAME)) this.#rememberChain(name);
      }
    }
    this.#stale.clear();
  }

  /** The zone as compiling a name sees it: with that name's new records, before they are written. */
  #viewWith(name: string, sets: readonly RRset[]): ZoneView {
    return {
      apex: this.apex,
      exists: (n) => n === name || this.exists(n),
      rrsetsAt: (n) => (n === name ? sets : this.rrsetsAt(n)),
      addresses: (host) =>
        host === name
          ? sets.filter((s) => s.type === RRType.A || s.type === RRType.AAAA).flatMap((s) => s.records)
          : this.addresses(host),
    };
  }

  #rememberChain(name: string): void {
    this.#forgetChain(name);
    const chain = chainOf(this, name);
    this.#chains.set(name, chain);
    for (const link of chain) {
      let set = this.#chainDependents.get(link);
      if (set === undefined) this.#chainDependents.set(link, (set = new Set()));
      set.add(name);
    }
  }

  #forgetChain(name: string): void {
    for (const link of this.#chains.get(name) ?? []) this.#chainDependents.get(link)?.delete(name);
    this.#chains.delete(name);
  }

  /** Adds `delta` to the count of owners below each ancestor strictly between the name and the apex. */
  #countAncestors(key: Uint8Array, delta: 1 | -1): void {
    const own = key;
    const reader = this.arena.reader;
    for (let at = 1 + own[0]!; at < own.length; at += 1 + own[at]!) {
      // The ancestor's key is the rest of the name's: copied into scratch space for the look-up, as most
      // ancestors exist already and need no key of their own.
      const length = own.length - at;
      for (let i = 0; i < length; i++) ancestorScratch[i] = own[at + i]!;
      const entry = this.arena.find(ancestorScratch, length);
      if (entry === 0) {
        if (delta > 0) this.arena.put(own.subarray(at), NO_ANSWERS, { owner: 0, below: 1, flags: 0 });
        continue;
      }
      const owner = reader.data32[(entry >> 2) + 4]!;
      const below = reader.data32[(entry >> 2) + 5]! + delta;
      if (below <= 0 && reader.data8[entry + 5] === 0) this.arena.delete(own.subarray(at));
      else this.arena.setMeta(entry, owner, Math.max(0, below));
    }
  }

  /** The folded wire key of a name relative to the apex. */
  #relativeKey(name: string): Uint8Array {
    return keyScratch.slice(0, this.#foldKey(name));
  }

  /**
   * Writes the folded wire key of a name relative to the apex into `keyScratch` and returns its length: for a
   * look-up (or a check) that keeps no key, without a copy. Throws on a name that cannot be in the zone.
   */
  #foldKey(name: string): number {
    const relative = name === this.apex ? '' : name.slice(0, name.length - this.apex.length - 1);
    let at = 0;
    let start = 0;
    while (start < relative.length) {
      const dot = relative.indexOf('.', start);
      const end = dot < 0 ? relative.length : dot;
      const length = end - start;
      if (length === 0 || length > 63 || at + 1 + length + this.apexWire.length > 255) {
        throw new Error(`bad name: ${name.slice(0, 80)}`);
      }
      keyScratch[at++] = length;
      for (let i = start; i < end; i++) {
        const c = relative.charCodeAt(i);
        keyScratch[at++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
      }
      start = end + 1;
    }
    return at;
  }

  /** The full wire form of a name from its relative key (a view of scratch space, used while compiling). */
  #wireOf(key: Uint8Array): Uint8Array {
    wireScratch.set(key, 0);
    wireScratch.set(this.apexWire, key.length);
    return wireScratch.subarray(0, key.length + this.apexWire.length);
  }

  #decode(entry: number, name: string): WireRecord[] {
    const { data8 } = this.arena.reader;
    return entryRecords(data8, entry, name, entryWireName(data8, entry, this.apexWire));
  }

  #nameOf(data8: Uint8Array, entry: number): string {
    return wireToName(entryWireName(data8, entry, this.apexWire));
  }

  /** The zone's key of a name: its relative wire form, as the responder computes it from a question. */
  get apexKey(): Uint8Array {
    return this.apexWire;
  }

  /** Starts remembering the records of changed names, for `takeChanges`. */
  beginChanges(): void {
    this.#before ??= new Map();
  }

  /** The difference since `beginChanges` (or the last call), the SOA left out; journalling goes on. */
  takeChanges(): ZoneDiff {
    const deleted: WireRecord[] = [];
    const added: WireRecord[] = [];
    for (const [name, before] of this.#before ?? []) {
      const after = (this.rrsetsAt(name) ?? []).flatMap((s) => s.records);
      const old = new Set(before.map(recordIdentity));
      const now = new Set(after.map(recordIdentity));
      for (const r of before) if (r.type !== RRType.SOA && !now.has(recordIdentity(r))) deleted.push(r);
      for (const r of after) if (r.type !== RRType.SOA && !old.has(recordIdentity(r))) added.push(r);
    }
    if (this.#before !== null) this.#before = new Map();
    return { deleted, added };
  }

  /** A digest of every contributor's records, the SOA serial left out: equal contents give equal digests. */
  digest(): string {
    return this.#book.zoneDigest();
  }

  /** The SOA record. Throws if the zone has none (a zone without a SOA is not served). */
  soa(): ResourceRecord {
    if (this.#soa === undefined) throw new Error(`zone ${this.apex} has no SOA`);
    return this.#soa;
  }

  /** The zone as it is now, to walk while it changes (transfers, export). */
  snapshot(): ZoneSnapshot {
    return new ZoneSnapshot(
      toWireRecord(this.soa()),
      this.arena.reader.data8,
      this.arena.liveEntries(Kind.NAME),
      this.apexWire,
    );
  }

  /** Every record: the SOA first, then each name's records in the order they were written. */
  records(): WireRecord[] {
    return [...this.snapshot().all()];
  }

  /** Every name that exists, owners and empty non-terminals. */
  *existingNames(): IterableIterator<string> {
    const { data8 } = this.arena.reader;
    for (const entry of this.arena.liveEntries(Kind.NAME)) yield this.#nameOf(data8, entry);
  }

  /** The contributors that have records, e.g. to find the ones a full rebuild no longer has. */
  contributors(): string[] {
    return this.#book.list();
  }

  rrsetsAt(name: string): readonly RRset[] | undefined {
    const shared = this.#shared.get(name);
    if (shared !== undefined) return groupRecords(shared.flatMap((c) => c.records));
    const entry = this.arena.find(keyScratch, this.#foldKey(name));
    if (entry === 0 || this.arena.reader.data8[entry + 5] === 0) return undefined;
    return groupRecords(this.#decode(entry, name));
  }

  addresses(host: string): readonly WireRecord[] {
    let found = this.#addresses.get(host);
    if (found === undefined) {
      found = (this.rrsetsAt(host) ?? [])
        .filter((s) => s.type === RRType.A || s.type === RRType.AAAA)
        .flatMap((s) => s.records);
      // Only names some MX or NS points at are worth keeping (their count is small: the platform's hosts).
      if (this.#addressTargets.has(host)) this.#addresses.set(host, found);
    }
    return found;
  }

  /** The RRset of `type` at `name` (lower case), or undefined. */
  rrset(name: string, type: number): readonly WireRecord[] | undefined {
    return this.rrsetsAt(name)?.find((s) => s.type === type)?.records;
  }

  /** The types present at `name`, in ascending order. */
  typesAt(name: string): number[] {
    return (this.rrsetsAt(name) ?? []).map((s) => s.type);
  }

  /** True if the name owns records or is an empty non-terminal above some. */
  exists(name: string): boolean {
    if (name === this.apex) return true;
    if (!isAtOrBelow(name, this.apex)) return false;
    return this.arena.find(keyScratch, this.#foldKey(name)) !== 0;
  }

  /** True if the name owns records (not an empty non-terminal). */
  owns(name: string): boolean {
    const entry = this.arena.find(keyScratch, this.#foldKey(name));
    return entry !== 0 && this.arena.reader.data8[entry + 5]! > 0;
  }

  /** True when `qname` belongs to this zone (case-insensitive). */
  contains(qname: string): boolean {
    return isAtOrBelow(qname.toLowerCase(), this.apex);
  }

  /** Answers a question for a name inside the zone (RFC 1034 §4.3.2), keeping the question's spelling. */
  resolve(qname: string, qtype: number): Resolution {
    return resolveName(this, qname, qtype);
  }

  /** Presentation text of a record's RDATA, for logs and tests. */
  static present(r: WireRecord): string {
    return presentRdata(r.type, r.rdata);
  }

  /** The byte offset of the key in an entry (for walkers of the arena). */
  static keyOffset(data8: Uint8Array, entry: number): number {
    return entry + ENTRY_HEADER + 8 * data8[entry + 5]!;
  }
}

/** Whether the A and AAAA records of `before` are those of `sets`. */
function sameAddresses(before: readonly WireRecord[], sets: readonly RRset[]): boolean {
  const addresses = (records: readonly WireRecord[]) =>
    records
      .filter((r) => r.type === RRType.A || r.type === RRType.AAAA)
      .map(recordIdentity)
      .sort()
      .join('\n');
  return addresses(before) === addresses(sets.flatMap((s) => s.records));
}
