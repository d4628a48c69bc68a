import { hash } from 'node:crypto';
import { ENTRY_HEADER, Kind } from './answer-store.ts';
import type { ArenaWriter } from './answer-store-writer.ts';
import type { WireRecord } from './wire-record.ts';

/**
 * What the zone remembers of each contributor (the platform, each sender domain), kept in the arena beside the
 * names so that a million domains cost no JavaScript objects: a number (stamped on the names it alone owns), the
 * names it has records at, and a digest of its records. The digest tells a contributor recomputed to the same
 * records from one that changed without decoding anything, and the XOR of every contributor's digest is the
 * digest of the zone, which decides whether a serial must rise (serial-ledger.ts).
 */
export interface Contribution {
  readonly number: number;
  readonly digest: Buffer;
  /** Lower-case owner names, absolute. */
  readonly names: readonly string[];
}

const DIGEST = 20;
const scratch = Buffer.allocUnsafeSlow(64 * 1024);

export class ContributorBook {
  readonly #arena: ArenaWriter;
  readonly #apex: string;
  #next = 1;
  readonly #zone = Buffer.alloc(DIGEST);

  constructor(arena: ArenaWriter, apex: string) {
    this.#arena = arena;
    this.#apex = apex;
  }

  /** SHA-1 over the contributor's id and records (owner, type, TTL, RDATA), in the order given. */
  digestOf(contributor: string, records: readonly WireRecord[]): Buffer {
    let at = scratch.write(contributor, 0, 'utf8');
    let buffer = scratch;
    for (const r of records) {
      const need = at + r.name.length * 3 + 9 + r.rdata.length;
      if (need > buffer.length) {
        const grown = Buffer.allocUnsafe(need * 2);
        buffer.copy(grown, 0, 0, at);
        buffer = grown;
      }
      buffer[at++] = 0;
      at += buffer.write(r.name, at, 'utf8');
      at = buffer.writeUInt16BE(r.type, at);
      at = buffer.writeUInt32BE(r.ttl, at);
      at = buffer.writeUInt16BE(r.rdata.length, at);
      buffer.set(r.rdata, at);
      at += r.rdata.length;
    }
    return hash('sha1', buffer.subarray(0, at), 'buffer');
  }

  get(contributor: string): Contribution | null {
    const entry = this.#arena.find(keyOf(contributor));
    if (entry === 0) return null;
    const payload = Buffer.from(this.#arena.payload(entry));
    const text = payload.toString('latin1', DIGEST + 4);
    return {
      digest: payload.subarray(0, DIGEST),
      number: payload.readUInt32LE(DIGEST),
      names: text.split('\n').map((n) => (n === '@' ? this.#apex : `${n}.${this.#apex}`)),
    };
  }

  allocate(): number {
    return this.#next++;
  }

  /** Records a contributor's new state (null: it has no records left), keeping the zone's digest. */
  set(contributor: string, previous: Contribution | null, next: Contribution | null): void {
    if (previous !== null) xorInto(this.#zone, previous.digest);
    const key = keyOf(contributor);
    if (next === null) {
      this.#arena.delete(key);
      return;
    }
    xorInto(this.#zone, next.digest);
    const suffix = this.#apex.length + 1;
    const names = next.names.map((n) => (n === this.#apex ? '@' : n.slice(0, n.length - suffix))).join('\n');
    const payload = Buffer.allocUnsafe(DIGEST + 4 + names.length);
    next.digest.copy(payload, 0);
    payload.writeUInt32LE(next.number, DIGEST);
    payload.write(names, DIGEST + 4, 'latin1');
    this.#arena.putPayload(key, Kind.CONTRIBUTOR, payload);
  }

  zoneDigest(): string {
    return this.#zone.toString('hex');
  }

  /** Every contributor with records. */
  list(): string[] {
    const { data8 } = this.#arena.reader;
    const out: string[] = [];
    for (const entry of this.#arena.liveEntries(Kind.CONTRIBUTOR)) {
      const keyAt = entry + ENTRY_HEADER;
      out.push(Buffer.from(data8.subarray(keyAt + 1, keyAt + data8[entry + 4]!)).toString('utf8'));
    }
    return out;
  }
}

/** A contributor's key in the arena: 0xFF (never the first octet of a name's key) and its id. */
function keyOf(contributor: string): Uint8Array {
  const id = Buffer.from(contributor, 'utf8');
  if (id.length > 250) throw new Error('contributor id too long');
  const key = Buffer.allocUnsafe(1 + id.length);
  key[0] = 0xff;
  id.copy(key, 1);
  return key;
}

function xorInto(target: Buffer, value: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= value[i]!;
}
