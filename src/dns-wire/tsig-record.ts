import { HEADER_LENGTH, RRClass, RRType } from './wire-codes.ts';
import { nameToWire, readName } from './wire-name.ts';

/**
 * The TSIG resource record on the wire (RFC 8945 §4.2): owner = key name, TYPE 250, CLASS ANY, TTL 0, and
 * RDATA {Algorithm Name, Time Signed (48 bits), Fudge, MAC Size, MAC, Original ID, Error, Other Len, Other
 * Data}. Parsing is strict: every length must add up exactly, or the record "cannot be interpreted" (§5.2).
 */
export interface TsigRecord {
  /** Key name, lower case, no trailing dot (its canonical form, §4.3.3). */
  readonly keyName: string;
  /** Algorithm name, lower case, no trailing dot (`hmac-sha256`). */
  readonly algorithm: string;
  /** Seconds since 1970-01-01 UTC, 48 bits. */
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly otherData: Buffer;
}

/** TSIG errors in the record's Error field (RFC 8945 §3). */
export const TsigError = { NOERROR: 0, BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

/** Where a message's TSIG record is: none, misplaced or repeated (FORMERR, §5.2), or its offset. */
export type TsigPlace =
  { readonly kind: 'none' } | { readonly kind: 'formerr' } | { readonly kind: 'at'; readonly start: number };

/**
 * Finds the TSIG record of any message. §5.2: it must be the last record of the additional section and
 * there must be at most one; anywhere else (or a second one) is a FORMERR. A message that does not parse is
 * a FORMERR too.
 */
export function locateTsig(buf: Buffer): TsigPlace {
  if (buf.length < HEADER_LENGTH) return { kind: 'formerr' };
  let pos = HEADER_LENGTH;
  for (let i = 0, n = buf.readUInt16BE(4); i < n; i++) {
    const name = readName(buf, pos);
    if (name === null) return { kind: 'formerr' };
    pos = name.end + 4;
  }
  const before = buf.readUInt16BE(6) + buf.readUInt16BE(8);
  const total = before + buf.readUInt16BE(10);
  let found = -1;
  for (let i = 0; i < total; i++) {
    const start = pos;
    const name = readName(buf, pos);
    if (name === null || name.end + 10 > buf.length) return { kind: 'formerr' };
    pos = name.end + 10 + buf.readUInt16BE(name.end + 8);
    if (pos > buf.length) return { kind: 'formerr' };
    if (buf.readUInt16BE(name.end) !== RRType.TSIG) continue;
    if (found >= 0 || i !== total - 1 || i < before) return { kind: 'formerr' };
    found = start;
  }
  if (pos !== buf.length) return { kind: 'formerr' };
  return found < 0 ? { kind: 'none' } : { kind: 'at', start: found };
}

/** Reads the TSIG record at `start`, which must run to the end of the message; null if it cannot be interpreted. */
export function parseTsigRecord(buf: Buffer, start: number): TsigRecord | null {
  const owner = readName(buf, start);
  if (owner === null || owner.end + 10 > buf.length) return null;
  let pos = owner.end;
  const type = buf.readUInt16BE(pos);
  const klass = buf.readUInt16BE(pos + 2);
  const ttl = buf.readUInt32BE(pos + 4);
  const rdlength = buf.readUInt16BE(pos + 8);
  pos += 10;
  const end = pos + rdlength;
  // §4.2: CLASS ANY and TTL 0; the record is the message's last.
  if (type !== RRType.TSIG || klass !== RRClass.ANY || ttl !== 0 || end !== buf.length) return null;
  // §4.2: the algorithm name is never compressed.
  const algorithm = plainName(buf, pos, end);
  if (algorithm === null) return null;
  pos = algorithm.end;
  if (pos + 10 > end) return null;
  const timeSigned = buf.readUIntBE(pos, 6);
  const fudge = buf.readUInt16BE(pos + 6);
  const macSize = buf.readUInt16BE(pos + 8);
  pos += 10;
  if (pos + macSize + 6 > end) return null;
  const mac = Buffer.from(buf.subarray(pos, pos + macSize));
  pos += macSize;
  const originalId = buf.readUInt16BE(pos);
  const error = buf.readUInt16BE(pos + 2);
  const otherLength = buf.readUInt16BE(pos + 4);
  pos += 6;
  if (pos + otherLength !== end) return null;
  return {
    keyName: owner.name.toLowerCase(),
    algorithm: algorithm.name,
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    otherData: Buffer.from(buf.subarray(pos, end)),
  };
}

/** An uncompressed name inside [start, end), folded to lower case. */
function plainName(buf: Buffer, start: number, end: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let pos = start;
  while (pos < end) {
    const length = buf[pos]!;
    if (length === 0) return { name: labels.join('.'), end: pos + 1 };
    if (length > 63 || pos + 1 + length > end) return null;
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + length).toLowerCase());
    pos += 1 + length;
  }
  return null;
}

/** The TSIG record's wire form, owner and algorithm uncompressed (§4.2). */
export function encodeTsigRecord(r: TsigRecord): Buffer {
  const owner = nameToWire(r.keyName);
  const algorithm = nameToWire(r.algorithm);
  const rdlength = algorithm.length + 16 + r.mac.length + r.otherData.length;
  const out = Buffer.alloc(owner.length + 10 + rdlength);
  let pos = owner.copy(out, 0);
  pos = out.writeUInt16BE(RRType.TSIG, pos);
  pos = out.writeUInt16BE(RRClass.ANY, pos);
  pos = out.writeUInt32BE(0, pos);
  pos = out.writeUInt16BE(rdlength, pos);
  pos += algorithm.copy(out, pos);
  pos = out.writeUIntBE(r.timeSigned, pos, 6);
  pos = out.writeUInt16BE(r.fudge, pos);
  pos = out.writeUInt16BE(r.mac.length, pos);
  pos += r.mac.copy(out, pos);
  pos = out.writeUInt16BE(r.originalId, pos);
  pos = out.writeUInt16BE(r.error, pos);
  pos = out.writeUInt16BE(r.otherData.length, pos);
  r.otherData.copy(out, pos);
  return out;
}
