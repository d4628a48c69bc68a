import { hash } from 'node:crypto';
import { rdataIdentity, typeCode, type ResourceRecord } from './resource-record.ts';

/** The RRsets of one name, merged from its contributors; their digests; canonical name order (for zone.ts). */

/** The RRsets of one owner name, by ascending type. Arrays rather than Maps: a zone has many small nodes. */
export interface RRset {
  readonly type: number;
  readonly records: readonly ResourceRecord[];
}
export type RRsets = readonly RRset[];

/** One contributor's records at one name. Most names have a single contributor. */
export interface Contribution {
  readonly contributor: string;
  readonly records: readonly ResourceRecord[];
}

/** Groups records by type, without duplicates, one TTL per RRset, types ascending. */
export function groupByType(records: readonly ResourceRecord[]): RRset[] {
  if (records.length === 1) return [{ type: typeCode(records[0]!.data), records }];
  const byType = new Map<number, ResourceRecord[]>();
  const seen = new Set<string>();
  for (const rr of records) {
    const type = typeCode(rr.data);
    // RFC 2181 §5: an RRset has no duplicate records (two sender domains may publish the same one).
    if (records.length > 1) {
      const identity = `${type} ${rdataIdentity(rr.data)}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
    }
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [rr]);
    else list.push(rr);
  }
  const sets: RRset[] = [];
  for (const [type, list] of byType) {
    // RFC 2181 §5.2: every record of an RRset has the same TTL; use the lowest one given.
    const ttl = Math.min(...list.map((r) => r.ttl));
    sets.push({ type, records: list.some((r) => r.ttl !== ttl) ? list.map((r) => ({ ...r, ttl })) : list });
  }
  return sets.sort((a, b) => a.type - b.type);
}

export function merge(contributions: readonly Contribution[]): RRset[] {
  return groupByType(contributions.flatMap((c) => c.records));
}

export function digestOf(name: string, sets: RRsets): Buffer {
  let text = name;
  for (const set of sets) {
    const line = (rr: ResourceRecord) =>
      `${set.type} ${rr.ttl} ${rdataIdentity(rr.data.type === 'SOA' ? { ...rr.data, serial: 0 } : rr.data)}`;
    text +=
      '\n' + (set.records.length === 1 ? line(set.records[0]!) : set.records.map(line).sort().join('\n'));
  }
  return hash('sha1', text, 'buffer');
}

export function xorInto(target: Buffer, value: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= value[i]!;
}

/** RFC 4034 §6.1 canonical order: compare label by label from the right, as lower-case octets. */
export function compareCanonical(a: string, b: string): number {
  const la = a === '' ? [] : a.split('.').reverse();
  const lb = b === '' ? [] : b.split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const x = la[i]!;
    const y = lb[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la.length - lb.length;
}
