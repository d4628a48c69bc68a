import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { writeWireRecord } from './answer-compiler.ts';
import type { Query } from './query-reader.ts';
import { serialGreater } from './serial.ts';
import { Flag, HEADER_LENGTH, readName, RRType } from '../dns-wire/index.ts';
import { soaSerial, toWireRecord, type WireRecord } from './wire-record.ts';
import { WireWriter } from './wire-writer.ts';
import type { Zone } from './zone.ts';
import { differenceSize, type JournalEntry } from './zone-journal.ts';

/**
 * The messages of a zone transfer. AXFR (RFC 5936 §2.2): the SOA first, every other record, the SOA again last.
 * IXFR (RFC 1995 §4): the current SOA, then one condensed difference (the client's SOA, the deleted records, the
 * current SOA, the added records), then the current SOA; a client already at our serial (or ahead) gets the SOA
 * alone; a client whose serial the journal cannot lead from gets the whole zone in AXFR form. The first message
 * repeats the question (§2.2.1); every message is authoritative, has the request's ID, and is compressed on its
 * own. Messages are made as the client reads them, with the event loop given a turn now and then, so a transfer
 * of a million names neither fills memory nor stops the answering of queries.
 */
export interface TransferSource {
  readonly zone: Zone;
  /**
   * The condensed difference from serial `from` to `to` (RFC 1995 §6), or null when the journal cannot give one
   * (then the whole zone is sent).
   */
  difference(from: number, to: number): Promise<JournalEntry | null>;
  /** Told what each transfer sent, for the log. */
  onTransfer?(what: TransferOutcome): void;
}

export interface TransferOutcome {
  readonly kind: 'axfr' | 'ixfr' | 'ixfr-full' | 'ixfr-uptodate';
  readonly clientSerial?: number;
  readonly serial: number;
  readonly records: number;
}

/** Messages of a transfer are filled to at most this (a TCP message may hold 65,535 octets). */
export const TRANSFER_MESSAGE = 16_384;
/** The event loop gets a turn after this many messages. */
const MESSAGES_PER_TURN = 16;

export function transferMessages(
  request: Buffer,
  query: Query,
  source: TransferSource,
  maxMessage = TRANSFER_MESSAGE,
): AsyncIterable<Buffer> {
  // Everything the answer needs from the request and the zone is taken now: the query object is reused by the
  // next read, and the version transferred is the one being served when the request came.
  const head: MessageHead = {
    id: query.id,
    question: Buffer.from(request.subarray(HEADER_LENGTH, query.questionEnd)),
    qname: readName(request, HEADER_LENGTH)?.name ?? source.zone.apex,
    edns: query.edns !== null,
  };
  const soa = toWireRecord(source.zone.soa());
  const serial = soaSerial(soa.rdata);
  if (query.qtype === RRType.AXFR) return axfr(head, source, source.zone.snapshot(), 'axfr', maxMessage);
  const client = query.clientSerial;
  if (client >= 0 && (client === serial || serialGreater(client, serial))) {
    source.onTransfer?.({ kind: 'ixfr-uptodate', clientSerial: client, serial, records: 1 });
    return fromRecords(head, [soa], maxMessage);
  }
  return ixfr(head, source, soa, serial, client, maxMessage);
}

async function* ixfr(
  head: MessageHead,
  source: TransferSource,
  soa: WireRecord,
  serial: number,
  client: number,
  maxMessage: number,
): AsyncGenerator<Buffer> {
  const difference = client < 0 ? null : await source.difference(client, serial);
  // RFC 1995 §5: a difference longer than the zone itself is not worth sending.
  if (difference === null || differenceSize(difference) > source.zone.arena.usage.live) {
    yield* axfr(head, source, source.zone.snapshot(), 'ixfr-full', maxMessage, client);
    return;
  }
  const records = [soa, difference.soaFrom, ...difference.deleted, soa, ...difference.added, soa];
  source.onTransfer?.({ kind: 'ixfr', clientSerial: client, serial, records: records.length });
  yield* fromRecords(head, records, maxMessage);
}

async function* axfr(
  head: MessageHead,
  source: TransferSource,
  snapshot: ReturnType<Zone['snapshot']>,
  kind: 'axfr' | 'ixfr-full',
  maxMessage: number,
  clientSerial?: number,
): AsyncGenerator<Buffer> {
  let records = 0;
  function* all(): Generator<WireRecord> {
    for (const r of snapshot.all()) {
      records++;
      yield r;
    }
    records++;
    yield snapshot.soa;
  }
  yield* fromRecords(head, all(), maxMessage);
  const serial = soaSerial(snapshot.soa.rdata);
  source.onTransfer?.({ kind, serial, records, ...(clientSerial === undefined ? {} : { clientSerial }) });
}

interface MessageHead {
  readonly id: number;
  /** The question as asked (name in its case, QTYPE, QCLASS), repeated in the first message. */
  readonly question: Buffer;
  readonly qname: string;
  readonly edns: boolean;
}

/** Records packed into messages of at most `maxMessage` octets. */
async function* fromRecords(
  head: MessageHead,
  records: Iterable<WireRecord>,
  maxMessage: number,
): AsyncGenerator<Buffer> {
  const w = new WireWriter(0, maxMessage);
  let open = false;
  let count = 0;
  let messages = 0;
  const finish = () => {
    if (head.edns) w.bytes(OPT);
    const message = w.toBuffer();
    message.writeUInt16BE(count, 6);
    open = false;
    messages++;
    return message;
  };
  for (const r of records) {
    const size = r.name.length + 12 + r.rdata.length;
    if (open && w.length + size + OPT.length > maxMessage) {
      yield finish();
      if (messages % MESSAGES_PER_TURN === 0) await yieldToEvents();
    }
    if (!open) {
      const first = messages === 0;
      w.reset(0)
        .u16(head.id)
        .u16(Flag.QR | Flag.AA)
        .u16(first ? 1 : 0)
        .u16(0)
        .u16(0)
        .u16(head.edns ? 1 : 0);
      if (first) {
        w.knowName(head.qname, HEADER_LENGTH);
        w.bytes(head.question);
      }
      open = true;
      count = 0;
    }
    writeWireRecord(w, r);
    count++;
  }
  if (open) yield finish();
}

/** An OPT record for transfer messages to an EDNS requester (RFC 6891 §7): payload size is moot over TCP. */
const OPT = Buffer.from([0, 0, RRType.OPT, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
