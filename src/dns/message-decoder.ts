import { HEADER_LENGTH, readName, RRType, typeName } from '../dns-wire/index.ts';

/**
 * A whole DNS message decoded into data, for the places that read answers (the NOTIFY sender, tests).
 * Hardened like the query reader: every length is checked, pointers only go backwards, and malformed input
 * gives null rather than an exception. RDATA of the types this server serves is decoded; others stay hex.
 */
export interface DecodedRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  /** Presentation form (RFC 1035 §5.1) for known types; `\# len hex` (RFC 3597 §5) otherwise. */
  readonly data: string;
}

export interface DecodedMessage {
  readonly id: number;
  readonly flags: number;
  readonly opcode: number;
  /** The full RCODE: header bits plus the OPT record's extended bits (RFC 6891 §6.1.3). */
  readonly rcode: number;
  readonly question: ReadonlyArray<{ readonly name: string; readonly type: number; readonly class: number }>;
  readonly answer: readonly DecodedRecord[];
  readonly authority: readonly DecodedRecord[];
  /** Without the OPT pseudo-record, which is in `edns`. */
  readonly additional: readonly DecodedRecord[];
  readonly edns: {
    readonly payloadSize: number;
    readonly version: number;
    readonly dnssecOk: boolean;
  } | null;
}

export function decodeMessage(buf: Buffer): DecodedMessage | null {
  if (buf.length < HEADER_LENGTH) return null;
  const counts = [4, 6, 8, 10].map((at) => buf.readUInt16BE(at));
  let pos = HEADER_LENGTH;
  const question: Array<{ name: string; type: number; class: number }> = [];
  for (let i = 0; i < counts[0]!; i++) {
    const name = readName(buf, pos);
    if (name === null || name.end + 4 > buf.length) return null;
    question.push({
      name: name.name,
      type: buf.readUInt16BE(name.end),
      class: buf.readUInt16BE(name.end + 2),
    });
    pos = name.end + 4;
  }
  const sections: DecodedRecord[][] = [[], [], []];
  let edns: DecodedMessage['edns'] = null;
  let extended = 0;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const name = readName(buf, pos);
      if (name === null || name.end + 10 > buf.length) return null;
      const type = buf.readUInt16BE(name.end);
      const klass = buf.readUInt16BE(name.end + 2);
      const ttl = buf.readUInt32BE(name.end + 4);
      const length = buf.readUInt16BE(name.end + 8);
      const start = name.end + 10;
      if (start + length > buf.length) return null;
      pos = start + length;
      if (type === RRType.OPT) {
        if (s !== 2 || edns !== null) return null;
        extended = ttl >>> 24;
        edns = { payloadSize: klass, version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
        continue;
      }
      const data = rdataToText(buf, type, start, length);
      if (data === null) return null;
      sections[s]!.push({ name: name.name, type, class: klass, ttl, data });
    }
  }
  if (pos !== buf.length) return null;
  const flags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    flags,
    opcode: (flags >> 11) & 0xf,
    rcode: (extended << 4) | (flags & 0xf),
    question,
    answer: sections[0]!,
    authority: sections[1]!,
    additional: sections[2]!,
    edns,
  };
}

function rdataToText(buf: Buffer, type: number, start: number, length: number): string | null {
  const end = start + length;
  const name = (at: number) => {
    const n = readName(buf, at);
    return n === null || n.end > end ? null : n;
  };
  switch (type) {
    case RRType.A:
      return length === 4 ? [...buf.subarray(start, end)].join('.') : null;
    case RRType.AAAA: {
      if (length !== 16) return null;
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(start + i).toString(16));
      return groups.join(':');
    }
    case RRType.NS:
    case RRType.CNAME: {
      const n = name(start);
      return n === null || n.end !== end ? null : `${n.name}.`;
    }
    case RRType.MX: {
      if (length < 3) return null;
      const n = name(start + 2);
      return n === null || n.end !== end ? null : `${buf.readUInt16BE(start)} ${n.name}.`;
    }
    case RRType.TXT: {
      const strings: string[] = [];
      let at = start;
      while (at < end) {
        const l = buf[at]!;
        if (at + 1 + l > end) return null;
        strings.push(JSON.stringify(buf.toString('latin1', at + 1, at + 1 + l)));
        at += 1 + l;
      }
      return strings.join(' ');
    }
    case RRType.SOA: {
      const m = name(start);
      const r = m === null ? null : name(m.end);
      if (m === null || r === null || r.end + 20 !== end) return null;
      const n = [0, 4, 8, 12, 16].map((o) => buf.readUInt32BE(r.end + o));
      return `${m.name}. ${r.name}. ${n.join(' ')}`;
    }
    default:
      return `\\# ${length} ${buf.toString('hex', start, end)} (${typeName(type)})`;
  }
}
