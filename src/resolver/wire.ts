import packet from 'dns-packet';
import { formatIp, parseIp } from '../ip/index.ts';
import {
  canonicalName,
  type RcodeName,
  type RecordType,
  type ResourceData,
  type ResourceRecord,
} from './model.ts';

/**
 * Encoding queries and decoding responses with dns-packet (the client side only; senderd's server has its own
 * hardened codec). Decoded records become our model with names and addresses normalised once, here.
 */

/** EDNS0 payload size we advertise (RFC 6891 §6.2.5; 1232 avoids IP fragmentation, DNS Flag Day 2020). */
export const UDP_PAYLOAD_SIZE = 1232;

export function encodeQuery(id: number, name: string, type: RecordType, recursionDesired: boolean): Buffer {
  return packet.encode({
    type: 'query',
    id,
    flags: recursionDesired ? packet.RECURSION_DESIRED : 0,
    questions: [{ type, name: canonicalName(name), class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: UDP_PAYLOAD_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ],
  });
}

export interface DecodedResponse {
  readonly id: number;
  readonly question: { readonly name: string; readonly type: string } | null;
  readonly rcode: RcodeName;
  readonly flags: { readonly aa: boolean; readonly tc: boolean; readonly ra: boolean; readonly qr: boolean };
  readonly answers: ResourceRecord[];
  readonly authority: ResourceRecord[];
  readonly additional: ResourceRecord[];
}

/** Decodes a response; null if the bytes are not a DNS message. */
export function decodeResponse(bytes: Buffer): DecodedResponse | null {
  let decoded: packet.DecodedPacket & { rcode?: string };
  try {
    decoded = packet.decode(bytes);
  } catch {
    return null;
  }
  const q = decoded.questions?.[0];
  return {
    id: decoded.id ?? -1,
    question: q === undefined ? null : { name: canonicalName(q.name), type: q.type },
    rcode: decoded.rcode ?? 'NOERROR',
    flags: { aa: decoded.flag_aa, tc: decoded.flag_tc, ra: decoded.flag_ra, qr: decoded.flag_qr },
    answers: toRecords(decoded.answers),
    authority: toRecords(decoded.authorities),
    additional: toRecords(decoded.additionals),
  };
}

function toRecords(answers: readonly packet.Answer[] | undefined): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const a of answers ?? []) {
    if (a.type === 'OPT') continue;
    out.push({ name: canonicalName(a.name), ttl: a.ttl ?? 0, data: toData(a) });
  }
  return out;
}

function toData(a: packet.Answer): ResourceData {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- other types are kept as OTHER
  switch (a.type) {
    case 'A':
    case 'AAAA': {
      // dns-packet shortens the first run of zeros, not the longest: written again in RFC 5952 text.
      const ip = parseIp(a.data);
      return { type: a.type, address: ip === null ? a.data : formatIp(ip) };
    }
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return { type: a.type, target: canonicalName(a.data) };
    case 'MX':
      return { type: 'MX', preference: a.data.preference ?? 0, exchange: canonicalName(a.data.exchange) };
    case 'TXT': {
      const raw = Array.isArray(a.data) ? a.data : [a.data];
      return { type: 'TXT', strings: raw.map((s) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s)) };
    }
    case 'SOA':
      return {
        type: 'SOA',
        mname: canonicalName(a.data.mname),
        rname: canonicalName(a.data.rname),
        serial: a.data.serial ?? 0,
        minimum: a.data.minimum ?? 0,
      };
    default:
      return { type: 'OTHER', typeName: String(a.type) };
  }
}
