import type { Query } from './query-reader.ts';
import { writeRecord, type ResourceRecord } from './resource-record.ts';
import { Flag, HEADER_LENGTH, RRType } from './wire-codes.ts';
import { readName } from './wire-name.ts';
import { WireWriter } from './wire-writer.ts';
import type { Zone } from './zone.ts';

/**
 * The messages of a full zone transfer (RFC 5936 §2.2): the SOA first, every other record, the SOA again
 * last. The first message repeats the question (§2.2.1); every message is authoritative, has the request's ID,
 * and is compressed on its own. An IXFR is answered the same way: "the entire zone" (RFC 1995 §4).
 */
export function transferMessages(request: Buffer, query: Query, zone: Zone, maxMessage = 16_384): Buffer[] {
  const records: ResourceRecord[] = zone.records();
  records.push(records[0]!);
  const messages: Buffer[] = [];
  const withEdns = query.edns !== null;
  let w: WireWriter | undefined;
  let count = 0;
  const finish = () => {
    if (w === undefined) return;
    if (withEdns) w.bytes(OPT);
    const message = w.toBuffer();
    message.writeUInt16BE(count, 6);
    messages.push(message);
    w = undefined;
  };
  for (const rr of records) {
    const size = recordSize(rr);
    if (w !== undefined && w.length + size + OPT.length > maxMessage) finish();
    if (w === undefined) {
      w = new WireWriter(0, maxMessage);
      const first = messages.length === 0;
      w.u16(query.id)
        .u16(Flag.QR | Flag.AA)
        .u16(first ? 1 : 0)
        .u16(0)
        .u16(0)
        .u16(withEdns ? 1 : 0);
      if (first) {
        w.knowName(readName(request, HEADER_LENGTH)?.name ?? zone.apex, HEADER_LENGTH);
        w.bytes(request.subarray(HEADER_LENGTH, query.questionEnd));
      }
      count = 0;
    }
    writeRecord(w, rr);
    count++;
  }
  finish();
  return messages;
}

/** The record's size uncompressed: an upper bound of what it takes in a message. */
function recordSize(rr: ResourceRecord): number {
  const probe = new WireWriter(0, 256);
  writeRecord(probe, rr, false);
  return probe.length;
}

/** An OPT record for transfer messages to an EDNS requester (RFC 6891 §7): payload size is moot over TCP. */
const OPT = Buffer.from([0, 0, RRType.OPT, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
