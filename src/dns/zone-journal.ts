import { serialGreater } from './serial.ts';
import {
  loadRecord,
  recordIdentity,
  storeRecord,
  type StoredRecord,
  type WireRecord,
} from './wire-record.ts';

/**
 * The journal of zone differences that IXFR answers from (RFC 1995): one entry per serial the zone moved to, with
 * the SOA before and after and the records deleted and added. Entries are kept in the store (so every node and a
 * restarted one can answer from them) and are pure data here: how to find the entries that lead from a
 * secondary's serial to ours, and how to condense them into one difference (RFC 1995 §6).
 */
export interface JournalEntry {
  readonly fromSerial: number;
  readonly toSerial: number;
  readonly soaFrom: WireRecord;
  readonly soaTo: WireRecord;
  readonly deleted: readonly WireRecord[];
  readonly added: readonly WireRecord[];
}

/** An entry as the store lists it before its changes are read. */
export interface JournalLink {
  readonly id: number;
  readonly fromSerial: number;
  readonly toSerial: number;
}

interface StoredEntry {
  readonly v: 1;
  readonly soaFrom: StoredRecord;
  readonly soaTo: StoredRecord;
  readonly deleted: readonly StoredRecord[];
  readonly added: readonly StoredRecord[];
}

/** The stored text of an entry's changes. */
export function encodeJournalEntry(entry: JournalEntry): string {
  const stored: StoredEntry = {
    v: 1,
    soaFrom: storeRecord(entry.soaFrom),
    soaTo: storeRecord(entry.soaTo),
    deleted: entry.deleted.map(storeRecord),
    added: entry.added.map(storeRecord),
  };
  return JSON.stringify(stored);
}

export function decodeJournalEntry(link: JournalLink, text: string): JournalEntry {
  const stored = JSON.parse(text) as StoredEntry;
  if (stored.v !== 1) throw new Error(`journal entry ${link.id}: unknown format`);
  return {
    fromSerial: link.fromSerial,
    toSerial: link.toSerial,
    soaFrom: loadRecord(stored.soaFrom),
    soaTo: loadRecord(stored.soaTo),
    deleted: stored.deleted.map(loadRecord),
    added: stored.added.map(loadRecord),
  };
}

/**
 * The entries that lead from serial `from` to serial `to`, oldest first, or null when the journal has no such
 * path (it was purged, or a version was never journalled: then the whole zone is sent). Serials are matched
 * exactly, so the walk is right across the wrap of RFC 1982 arithmetic; each step must go forward in it.
 * Several paths may exist (entries written by several nodes): the one with the fewest steps wins.
 */
export function journalPath(links: readonly JournalLink[], from: number, to: number): JournalLink[] | null {
  if (from === to) return [];
  const byFrom = new Map<number, JournalLink[]>();
  for (const link of links) {
    if (!serialGreater(link.toSerial, link.fromSerial)) continue;
    const list = byFrom.get(link.fromSerial);
    if (list === undefined) byFrom.set(link.fromSerial, [link]);
    else list.push(link);
  }
  // Breadth first: the shortest path, never visiting a serial twice (no loops whatever the store holds).
  const cameBy = new Map<number, JournalLink | null>([[from, null]]);
  let frontier = [from];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const serial of frontier) {
      for (const link of byFrom.get(serial) ?? []) {
        if (cameBy.has(link.toSerial)) continue;
        cameBy.set(link.toSerial, link);
        if (link.toSerial === to) return unwind(cameBy, to);
        next.push(link.toSerial);
      }
    }
    frontier = next;
  }
  return null;
}

function unwind(cameBy: ReadonlyMap<number, JournalLink | null>, to: number): JournalLink[] {
  const path: JournalLink[] = [];
  for (let link = cameBy.get(to); link !== null && link !== undefined; link = cameBy.get(link.fromSerial)) {
    path.unshift(link);
  }
  return path;
}

/**
 * Entries in order condensed into one difference (RFC 1995 §6): a record deleted and added again, or added and
 * deleted again, cancels out, so every record is sent at most once and a name changed many times costs one
 * change. What is left is exactly what differs between the first version and the last.
 */
export function condense(entries: readonly JournalEntry[]): JournalEntry {
  const first = entries[0];
  const last = entries.at(-1);
  if (first === undefined || last === undefined) throw new Error('nothing to condense');
  const deleted = new Map<string, WireRecord>();
  const added = new Map<string, WireRecord>();
  for (const entry of entries) {
    for (const r of entry.deleted) {
      const id = recordIdentity(r);
      if (!added.delete(id)) deleted.set(id, r);
    }
    for (const r of entry.added) {
      const id = recordIdentity(r);
      if (!deleted.delete(id)) added.set(id, r);
    }
  }
  return {
    fromSerial: first.fromSerial,
    toSerial: last.toSerial,
    soaFrom: first.soaFrom,
    soaTo: last.soaTo,
    deleted: [...deleted.values()],
    added: [...added.values()],
  };
}

/** Octets the records of a difference take uncompressed: the measure the journal is bounded by. */
export function differenceSize(entry: Pick<JournalEntry, 'deleted' | 'added'>): number {
  let size = 0;
  for (const r of [...entry.deleted, ...entry.added]) size += r.name.length + 12 + r.rdata.length;
  return size;
}
