import { RRType, Rcode } from './wire-codes.ts';
import type { ResourceRecord } from './resource-record.ts';
import {
  compareCanonical,
  digestOf,
  groupByType,
  merge,
  xorInto,
  type Contribution,
  type RRsets,
} from './rrsets.ts';

export { compareCanonical };
import { ancestorsBelow, isAtOrBelow } from './wire-name.ts';

/**
 * The authoritative zone as a pure object: RRsets by owner name, with `resolve(qname, qtype)` giving the answer
 * of RFC 1034 §4.3.2 for a zone with no delegations and no wildcards. Records arrive grouped by contributor
 * (the platform, or one sender domain), so a contributor's records are replaced as a unit when it changes.
 */

export interface Resolution {
  readonly rcode: typeof Rcode.NOERROR | typeof Rcode.NXDOMAIN;
  readonly answer: readonly ResourceRecord[];
  /** Records of the authority section other than the SOA of a negative answer. */
  readonly authority: readonly ResourceRecord[];
  readonly additional: readonly ResourceRecord[];
  /** NXDOMAIN or NODATA (at the end of any CNAME chain): the SOA goes in the authority (RFC 2308 §2). */
  readonly negative: boolean;
}

/** Longest CNAME chain followed inside the zone; a longer one (or a loop) ends the answer there. */
const MAX_CNAME_CHAIN = 8;

export class Zone {
  readonly apex: string;
  /** Lower-case owner name → the contributions at it. */
  readonly #contributions = new Map<string, Contribution[]>();
  /** Lower-case owner name → merged RRsets. */
  readonly #nodes = new Map<string, RRsets>();
  /** Empty non-terminals (RFC 8020: they exist, so NODATA): name → number of owners below it. */
  readonly #below = new Map<string, number>();
  readonly #byContributor = new Map<string, readonly string[]>();
  /** XOR of every name's digest: a digest of the whole content, kept up to date name by name. */
  readonly #digest = Buffer.alloc(20);

  constructor(apex: string) {
    this.apex = apex.toLowerCase();
  }

  /**
   * Replaces every record of `contributor` with `records` (none removes it). Returns the owner names whose
   * answers may have changed, including empty non-terminals that appeared or vanished.
   */
  replace(contributor: string, records: readonly ResourceRecord[]): Set<string> {
    const changed = new Set<string>();
    const grouped = new Map<string, ResourceRecord[]>();
    for (const rr of records) {
      const name = rr.name.toLowerCase();
      if (!isAtOrBelow(name, this.apex)) throw new Error(`${rr.name} is outside the zone ${this.apex}`);
      let list = grouped.get(name);
      if (list === undefined) grouped.set(name, (list = []));
      list.push(name === rr.name ? rr : { ...rr, name });
    }
    for (const name of this.#byContributor.get(contributor) ?? []) {
      if (grouped.has(name)) continue;
      const kept = (this.#contributions.get(name) ?? []).filter((c) => c.contributor !== contributor);
      this.#rebuild(name, kept, changed);
    }
    for (const [name, list] of grouped) {
      const existing = this.#contributions.get(name);
      const mine = { contributor, records: list };
      const contributions =
        existing === undefined ? [mine] : [...existing.filter((c) => c.contributor !== contributor), mine];
      this.#rebuild(name, contributions, changed);
    }
    if (grouped.size === 0) this.#byContributor.delete(contributor);
    else this.#byContributor.set(contributor, [...grouped.keys()]);
    return changed;
  }

  #rebuild(name: string, contributions: Contribution[], changed: Set<string>): void {
    const old = this.#nodes.get(name);
    if (contributions.length === 0) {
      this.#contributions.delete(name);
      if (old === undefined) return;
      changed.add(name);
      this.#nodes.delete(name);
      xorInto(this.#digest, digestOf(name, old));
      this.#countAncestors(name, -1, changed);
      return;
    }
    this.#contributions.set(name, contributions);
    const sets = contributions.length === 1 ? groupByType(contributions[0]!.records) : merge(contributions);
    const digest = digestOf(name, sets);
    if (old !== undefined) {
      const oldDigest = digestOf(name, old);
      // Recomputing a name to the same content is no change: its answers stay as they are. (The digest leaves
      // the SOA serial out, so a name with a SOA is always taken as changed.)
      if (oldDigest.equals(digest) && !sets.some((s) => s.type === RRType.SOA)) return;
      xorInto(this.#digest, oldDigest);
    }
    changed.add(name);
    this.#nodes.set(name, sets);
    xorInto(this.#digest, digest);
    if (old === undefined) this.#countAncestors(name, +1, changed);
  }

  /**
   * A digest of every record with the SOA serial left out: equal contents give equal digests, so a serial is
   * raised only when the content really changed, and a restart over unchanged data keeps its serial.
   */
  digest(): string {
    return this.#digest.toString('hex');
  }

  #countAncestors(name: string, delta: 1 | -1, changed: Set<string>): void {
    for (const ancestor of ancestorsBelow(name, this.apex)) {
      const count = (this.#below.get(ancestor) ?? 0) + delta;
      if (count <= 0) this.#below.delete(ancestor);
      else this.#below.set(ancestor, count);
      // An ancestor flips between NXDOMAIN and NODATA only when its count crosses zero.
      if (count === 0 || (count === 1 && delta === 1)) changed.add(ancestor);
    }
  }

  /** The RRset of `type` at `name` (lower case), or undefined. */
  rrset(name: string, type: number): readonly ResourceRecord[] | undefined {
    return this.#nodes.get(name)?.find((s) => s.type === type)?.records;
  }

  /** The types present at `name`, in ascending order. */
  typesAt(name: string): number[] {
    return (this.#nodes.get(name) ?? []).map((s) => s.type);
  }

  /** True if the name owns records or is an empty non-terminal above some. */
  exists(name: string): boolean {
    return this.#nodes.has(name) || this.#below.has(name) || name === this.apex;
  }

  /** True if the name owns records (not an empty non-terminal). */
  owns(name: string): boolean {
    return this.#nodes.has(name);
  }

  /** Every name that exists, owners and empty non-terminals. */
  *existingNames(): IterableIterator<string> {
    yield* this.#nodes.keys();
    yield* this.#below.keys();
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The SOA record at the apex. Throws if the zone has none (a zone without a SOA is not served). */
  soa(): ResourceRecord {
    const soa = this.rrset(this.apex, RRType.SOA)?.[0];
    if (soa === undefined) throw new Error(`zone ${this.apex} has no SOA`);
    return soa;
  }

  /** Every record: the SOA first, then owners in canonical order (RFC 4034 §6.1), types ascending. */
  records(): ResourceRecord[] {
    const out: ResourceRecord[] = [this.soa()];
    for (const name of [...this.#nodes.keys()].sort(compareCanonical)) {
      for (const type of this.typesAt(name)) {
        if (name === this.apex && type === RRType.SOA) continue;
        out.push(...this.rrset(name, type)!);
      }
    }
    return out;
  }

  /** True when `qname` belongs to this zone (case-insensitive). */
  contains(qname: string): boolean {
    return isAtOrBelow(qname.toLowerCase(), this.apex);
  }

  /**
   * Answers a question for a name inside the zone (call `contains` first). Records owned by the queried name
   * carry the question's spelling of it, so its case is preserved (RFC 4343 §4).
   */
  resolve(qname: string, qtype: number): Resolution {
    const answer: ResourceRecord[] = [];
    const additional: ResourceRecord[] = [];
    const visited = new Set<string>();
    let spelled = qname;
    let name = qname.toLowerCase();
    for (let hop = 0; ; hop++) {
      visited.add(name);
      const node = this.#nodes.get(name);
      if (node === undefined) {
        // RFC 6604 §3: the RCODE describes the last name of the chain.
        const rcode = this.exists(name) ? Rcode.NOERROR : Rcode.NXDOMAIN;
        return { rcode, answer, authority: [], additional, negative: true };
      }
      const cname = node.find((s) => s.type === RRType.CNAME)?.records;
      if (cname !== undefined && qtype !== RRType.CNAME && qtype !== RRType.ANY) {
        const record = cname[0]!;
        answer.push(respell(record, spelled));
        const target = record.data.type === 'CNAME' ? record.data.target.toLowerCase() : '';
        // RFC 1034 §4.3.2 step 3a: restart at the target if we are authoritative for it; stop on a loop.
        if (!isAtOrBelow(target, this.apex) || visited.has(target) || hop + 1 >= MAX_CNAME_CHAIN) {
          return { rcode: Rcode.NOERROR, answer, authority: [], additional, negative: false };
        }
        name = target;
        spelled = target;
        continue;
      }
      let rrset: readonly ResourceRecord[] | undefined;
      if (qtype === RRType.ANY) {
        // RFC 8482 §4.1: answer ANY with one RRset rather than all of them; here the lowest type present.
        rrset = node[0]?.records;
      } else {
        rrset = node.find((s) => s.type === qtype)?.records;
      }
      if (rrset === undefined)
        return { rcode: Rcode.NOERROR, answer, authority: [], additional, negative: true };
      for (const rr of rrset) answer.push(respell(rr, spelled));
      this.#addAdditional(rrset, additional);
      return { rcode: Rcode.NOERROR, answer, authority: [], additional, negative: false };
    }
  }

  /** RFC 1035 §3.3.9, §3.3.11: the addresses of an MX exchange or NS host, when this zone holds them. */
  #addAdditional(rrset: readonly ResourceRecord[], additional: ResourceRecord[]): void {
    for (const rr of rrset) {
      const host =
        rr.data.type === 'MX' ? rr.data.exchange : rr.data.type === 'NS' ? rr.data.host : undefined;
      if (host === undefined) continue;
      const key = host.toLowerCase();
      for (const type of [RRType.A, RRType.AAAA]) {
        for (const address of this.rrset(key, type) ?? []) {
          if (!additional.includes(address)) additional.push(address);
        }
      }
    }
  }

  /** Where a CNAME chain starting at `name` ends inside the zone (`name` itself if it owns no CNAME). */
  chainEnd(name: string): string {
    let here = name;
    const seen = new Set<string>([here]);
    for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      const cname = this.rrset(here, RRType.CNAME)?.[0];
      if (cname === undefined || cname.data.type !== 'CNAME') return here;
      const target = cname.data.target.toLowerCase();
      if (!isAtOrBelow(target, this.apex) || seen.has(target)) return here;
      seen.add(target);
      here = target;
    }
    return here;
  }

  /**
   * The in-zone names whose records feed the answers at `name`: the names along its CNAME chain, and the
   * MX exchanges and NS hosts whose addresses go in the additional section. When they change, so does it.
   */
  dependenciesOf(name: string): string[] {
    const out = new Set<string>();
    let here = name;
    for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      for (const set of this.#nodes.get(here) ?? []) {
        for (const rr of set.records) {
          const host =
            rr.data.type === 'MX'
              ? rr.data.exchange
              : rr.data.type === 'NS'
                ? rr.data.host
                : rr.data.type === 'CNAME'
                  ? rr.data.target
                  : undefined;
          if (host !== undefined && isAtOrBelow(host.toLowerCase(), this.apex)) out.add(host.toLowerCase());
        }
      }
      const next = this.rrset(here, RRType.CNAME)?.[0];
      if (next === undefined || next.data.type !== 'CNAME') break;
      const target = next.data.target.toLowerCase();
      // Out of the zone, or back at the start: the chain ends (a loop elsewhere ends at MAX_CNAME_CHAIN).
      if (!isAtOrBelow(target, this.apex) || target === name) break;
      here = target;
    }
    out.delete(name);
    return [...out];
  }
}

function respell(rr: ResourceRecord, spelled: string): ResourceRecord {
  return rr.name === spelled ? rr : { ...rr, name: spelled };
}
