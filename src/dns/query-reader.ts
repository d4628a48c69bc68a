import {
  CLASSIC_UDP_SIZE,
  Flag,
  HEADER_LENGTH,
  MAX_LABEL,
  MAX_NAME_WIRE,
  Opcode,
  RRType,
} from '../dns-wire/index.ts';

/**
 * Reads a query straight from the packet, as the hot path needs it: the header, the one question (its name
 * folded to a lookup key, its original bytes left in place for the answer) and the EDNS OPT record. It never
 * throws and never follows a pointer forwards: every count and length is checked against the packet.
 */

export interface Edns {
  /** The requester's UDP payload size; values below 512 are treated as 512 (RFC 6891 §6.2.5). */
  readonly payloadSize: number;
  readonly version: number;
  /** The DO bit (RFC 3225), copied into the answer. */
  readonly dnssecOk: boolean;
}

/** A query as read from a packet. The object is reused by the next read (see `current`). */
export interface Query {
  readonly id: number;
  readonly flags: number;
  readonly opcode: number;
  /**
   * The question's name as a lookup key: wire form, ASCII folded to lower case (see wire-name.ts), in the
   * first `qnameLength` bytes. A buffer shared by every read: use it before reading the next query.
   */
  readonly key: Uint8Array;
  readonly qnameLength: number;
  /** Offset just after QTYPE and QCLASS: the answer reuses the packet up to here. */
  readonly questionEnd: number;
  readonly qtype: number;
  readonly qclass: number;
  readonly edns: Edns | null;
  /** Offset of the TSIG record (RFC 8945), the last of the message, or -1 when the query is not signed. */
  readonly tsigStart: number;
  /** The serial of the SOA in the authority section (RFC 1995 §3: an IXFR's version), or -1 when there is none. */
  readonly clientSerial: number;
}

/** What to do with a packet that is not a well-formed query. */
export const Unreadable = {
  /** Too short for a header, or a response (QR=1): answering could start a loop, so stay silent. */
  DROP: 0,
  /** FORMERR, header only (RFC 1035 §4.1.1). */
  FORMERR: 1,
  /** FORMERR about the OPT record: the answer carries an OPT (RFC 6891 §7). */
  FORMERR_EDNS: 2,
  /** An opcode other than QUERY: NOTIMP. */
  NOTIMP: 3,
  /** The same, asked with EDNS: the answer carries an OPT (RFC 6891 §7). */
  NOTIMP_EDNS: 4,
} as const;
export type Unreadable = (typeof Unreadable)[keyof typeof Unreadable];

const scratch = Buffer.allocUnsafe(MAX_NAME_WIRE);

export function readQuery(buf: Buffer): Query | Unreadable {
  const length = buf.length;
  if (length < HEADER_LENGTH) return Unreadable.DROP;
  const flags = (buf[2]! << 8) | buf[3]!;
  if ((flags & Flag.QR) !== 0) return Unreadable.DROP;
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== Opcode.QUERY) return hasOpt(buf) ? Unreadable.NOTIMP_EDNS : Unreadable.NOTIMP;
  const qdcount = (buf[4]! << 8) | buf[5]!;
  // RFC 9619: a query holds exactly one question.
  if (qdcount !== 1) return Unreadable.FORMERR;

  // The question's name: plain labels only. A pointer here could only point into the header.
  let pos = HEADER_LENGTH;
  let n = 0;
  for (;;) {
    if (pos >= length) return Unreadable.FORMERR;
    const labelLength = buf[pos]!;
    if (labelLength === 0) break;
    if (labelLength > MAX_LABEL || pos + 1 + labelLength >= length) return Unreadable.FORMERR;
    if (n + 1 + labelLength + 1 > MAX_NAME_WIRE) return Unreadable.FORMERR;
    scratch[n++] = labelLength;
    for (let i = pos + 1, end = pos + 1 + labelLength; i < end; i++) {
      let c = buf[i]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      scratch[n++] = c;
    }
    pos += 1 + labelLength;
  }
  scratch[n++] = 0;
  const qnameLength = n;
  pos += 1;
  if (pos + 4 > length) return Unreadable.FORMERR;
  const qtype = (buf[pos]! << 8) | buf[pos + 1]!;
  const qclass = (buf[pos + 2]! << 8) | buf[pos + 3]!;
  pos += 4;
  const questionEnd = pos;

  // Answer and authority sections are unusual in a query but legal; step over them with every bound checked.
  const answers = (buf[6]! << 8) | buf[7]!;
  const skip = answers + ((buf[8]! << 8) | buf[9]!);
  let clientSerial = -1;
  for (let i = 0; i < skip; i++) {
    const start = pos;
    pos = skipRecord(buf, pos);
    if (pos < 0) return Unreadable.FORMERR;
    const type = typeAt(buf, start);
    // RFC 8945 §5.2: a TSIG record anywhere but last in the additional section is a FORMERR.
    if (type === RRType.TSIG) return Unreadable.FORMERR;
    if (type === RRType.SOA && i >= answers && clientSerial < 0) clientSerial = soaSerialAt(buf, start, pos);
  }
  let edns: Edns | null = null;
  let tsigStart = -1;
  const arcount = (buf[10]! << 8) | buf[11]!;
  for (let i = 0; i < arcount; i++) {
    const start = pos;
    pos = skipRecord(buf, pos);
    if (pos < 0) return Unreadable.FORMERR;
    const nameEnd = skipName(buf, start);
    const type = (buf[nameEnd]! << 8) | buf[nameEnd + 1]!;
    if (type === RRType.TSIG) {
      // RFC 8945 §5.2: at most one TSIG, and it is the last record.
      if (i !== arcount - 1) return Unreadable.FORMERR;
      tsigStart = start;
    }
    if (type !== RRType.OPT) continue; // others: not used, ignored
    // RFC 6891 §6.1.1: at most one OPT, owned by the root.
    if (edns !== null || nameEnd !== start + 1) return Unreadable.FORMERR_EDNS;
    const payload = (buf[nameEnd + 2]! << 8) | buf[nameEnd + 3]!;
    const version = buf[nameEnd + 5]!;
    const dnssecOk = (buf[nameEnd + 6]! & 0x80) !== 0;
    if (!optionsWellFormed(buf, nameEnd + 10, pos)) return Unreadable.FORMERR_EDNS;
    currentEdns.payloadSize = Math.max(payload, CLASSIC_UDP_SIZE);
    currentEdns.version = version;
    currentEdns.dnssecOk = dnssecOk;
    edns = currentEdns;
  }
  // Bytes after the last record mean the counts are wrong.
  if (pos !== length) return Unreadable.FORMERR;
  const q = current;
  q.id = (buf[0]! << 8) | buf[1]!;
  q.flags = flags;
  q.opcode = opcode;
  q.qnameLength = qnameLength;
  q.questionEnd = questionEnd;
  q.qtype = qtype;
  q.qclass = qclass;
  q.edns = edns;
  q.tsigStart = tsigStart;
  q.clientSerial = clientSerial;
  return q;
}

/**
 * The one query being read: reused for every packet, so reading allocates nothing (the answer path stays clear
 * of garbage collection). Like `key`, it is valid until the next read; a caller that keeps anything copies it.
 */
const current: { -readonly [K in keyof Query]: Query[K] } = {
  id: 0,
  flags: 0,
  opcode: 0,
  key: scratch,
  qnameLength: 0,
  questionEnd: 0,
  qtype: 0,
  qclass: 0,
  edns: null,
  tsigStart: -1,
  clientSerial: -1,
};
const currentEdns: { -readonly [K in keyof Edns]: Edns[K] } = { payloadSize: 0, version: 0, dnssecOk: false };

/** The SERIAL of an SOA record whose bounds skipRecord has checked (RFC 1035 §3.3.13), or -1 if malformed. */
function soaSerialAt(buf: Buffer, start: number, end: number): number {
  const rdata = skipName(buf, start) + 10;
  const rname = skipName(buf, rdata);
  const serialAt = rname < 0 ? -1 : skipName(buf, rname);
  if (serialAt < 0 || serialAt + 20 !== end) return -1;
  return buf.readUInt32BE(serialAt);
}

/** The TYPE of the record at `start`, whose bounds skipRecord has checked. */
function typeAt(buf: Buffer, start: number): number {
  const nameEnd = skipName(buf, start);
  return (buf[nameEnd]! << 8) | buf[nameEnd + 1]!;
}

/** Whether a message of any opcode is well formed and carries an OPT record in its last section. */
function hasOpt(buf: Buffer): boolean {
  let pos = HEADER_LENGTH;
  const questions = (buf[4]! << 8) | buf[5]!;
  for (let i = 0; i < questions; i++) {
    pos = skipName(buf, pos);
    if (pos < 0 || pos + 4 > buf.length) return false;
    pos += 4;
  }
  const before = ((buf[6]! << 8) | buf[7]!) + ((buf[8]! << 8) | buf[9]!);
  const additional = (buf[10]! << 8) | buf[11]!;
  let found = false;
  for (let i = 0; i < before + additional; i++) {
    const start = pos;
    pos = skipRecord(buf, pos);
    if (pos < 0) return false;
    if (i >= before && buf[start] === 0 && ((buf[start + 1]! << 8) | buf[start + 2]!) === RRType.OPT)
      found = true;
  }
  return found && pos === buf.length;
}

/** Offset after a (possibly compressed) name, or -1. A pointer must point backwards; it is not followed. */
function skipName(buf: Buffer, start: number): number {
  let pos = start;
  let wire = 1;
  for (;;) {
    if (pos >= buf.length) return -1;
    const c = buf[pos]!;
    if (c === 0) return pos + 1;
    if ((c & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) return -1;
      const target = ((c & 0x3f) << 8) | buf[pos + 1]!;
      return target < start ? pos + 2 : -1;
    }
    if ((c & 0xc0) !== 0) return -1;
    wire += c + 1;
    if (wire > MAX_NAME_WIRE) return -1;
    pos += c + 1;
  }
}

/** Offset after a whole resource record, or -1 if it runs past the packet. */
function skipRecord(buf: Buffer, start: number): number {
  const nameEnd = skipName(buf, start);
  if (nameEnd < 0 || nameEnd + 10 > buf.length) return -1;
  const rdlength = (buf[nameEnd + 8]! << 8) | buf[nameEnd + 9]!;
  const end = nameEnd + 10 + rdlength;
  return end > buf.length ? -1 : end;
}

/** RFC 6891 §6.1.2: the RDATA is a sequence of {code, length, data}; the lengths must add up exactly. */
function optionsWellFormed(buf: Buffer, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    if (pos + 4 > end) return false;
    pos += 4 + ((buf[pos + 2]! << 8) | buf[pos + 3]!);
  }
  return pos === end;
}
