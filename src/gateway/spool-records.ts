import { crc32 } from 'node:zlib';

/**
 * The spool's on-disk record format (pure: bytes in, records out). A segment file is a sequence of records:
 *
 *     u32 payload length | u32 CRC-32 of type+payload | u8 type | payload
 *
 * A torn or corrupt record can only be the last one written before a crash. Its message never got a 250 (the
 * reply waits for the fsync that covers it), so reading stops there and the tail is cut off.
 */

export const RECORD_ACCEPT = 1;
export const RECORD_STATE = 2;
const HEADER = 9;

/** What the gateway remembers about a spooled message, beside its bytes. JSON in the ACCEPT record. */
export interface SpooledMeta {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string | null;
  readonly acceptedAt: string;
  readonly recipients: readonly {
    readonly address: string;
    readonly envelopeFrom: string;
    /** Which of `copies` this recipient gets; absent when the message has no copies. */
    readonly copy?: number;
  }[];
  /**
   * A message personalised per recipient (tracked links, List-Unsubscribe; recipient-copies.ts) holds one copy per
   * group of recipients, one after another in the record's bytes: the length of each, in order. With a body file
   * the copies are header blocks, and the file is the body of each. Absent: one message for every recipient.
   */
  readonly copies?: readonly number[];
}

/** The state of one recipient of a message: `pending` until delivered or bounced. */
export interface RecipientState {
  readonly status: 'pending' | 'delivered' | 'bounced';
  readonly attempts: number;
  /** When the next attempt is due (ms since the epoch); 0 means now. */
  readonly nextAttemptAt: number;
}

export interface StateChange extends RecipientState {
  readonly id: string;
  readonly recipient: number;
}

export type SpoolRecord =
  | {
      readonly type: 'accept';
      readonly meta: SpooledMeta;
      readonly states?: readonly RecipientState[];
      /** Where the message bytes start inside the record's buffer, and how long they are. */
      readonly bodyOffset: number;
      readonly bodyLength: number;
      /**
       * The length of the rest of the message, kept in a file of its own (a large body streamed to disk as it
       * arrived, spool.ts): the record's bytes are then its first part, the new header block.
       */
      readonly fileLength?: number;
    }
  | { readonly type: 'state'; readonly change: StateChange };

/**
 * Encodes an ACCEPT record; returns its pieces (header+meta, then the message) for a gathered write. The message
 * may come in pieces (its new header fields, then the body as received): on disk they are one run of bytes.
 */
export function encodeAccept(
  meta: SpooledMeta,
  message: readonly Buffer[],
  states?: readonly RecipientState[],
  fileLength?: number,
): { pieces: Buffer[]; bodyOffset: number; bodyLength: number; length: number } {
  const json = Buffer.from(
    JSON.stringify({
      meta,
      ...(states === undefined ? {} : { states }),
      ...(fileLength === undefined ? {} : { fileLength }),
    }),
  );
  const prefix = Buffer.allocUnsafe(HEADER + 4);
  let bodyLength = 0;
  for (const piece of message) bodyLength += piece.length;
  const payloadLength = 4 + json.length + bodyLength;
  prefix.writeUInt32BE(payloadLength, 0);
  prefix[8] = RECORD_ACCEPT;
  prefix.writeUInt32BE(json.length, 9);
  let crc = crc32(prefix.subarray(8));
  crc = crc32(json, crc);
  for (const piece of message) crc = crc32(piece, crc);
  prefix.writeUInt32BE(crc, 4);
  return {
    pieces: [prefix, json, ...message],
    bodyOffset: HEADER + 4 + json.length,
    bodyLength,
    length: HEADER + payloadLength,
  };
}

export function encodeState(change: StateChange): Buffer {
  const json = Buffer.from(JSON.stringify(change));
  const out = Buffer.allocUnsafe(HEADER + json.length);
  out.writeUInt32BE(json.length, 0);
  out[8] = RECORD_STATE;
  json.copy(out, HEADER);
  out.writeUInt32BE(crc32(out.subarray(8)), 4);
  return out;
}

/**
 * Reads every whole, intact record of a segment. Returns them with their offsets and the length of the valid
 * prefix (anything after it is a torn tail to cut off).
 */
export function decodeSegment(data: Buffer): {
  records: Array<{ offset: number; record: SpoolRecord }>;
  validLength: number;
} {
  const records: Array<{ offset: number; record: SpoolRecord }> = [];
  let at = 0;
  while (at + HEADER <= data.length) {
    const length = data.readUInt32BE(at);
    const end = at + HEADER + length;
    if (end > data.length) break;
    if (crc32(data.subarray(at + 8, end)) !== data.readUInt32BE(at + 4)) break;
    const type = data[at + 8];
    const payload = data.subarray(at + HEADER, end);
    if (type === RECORD_ACCEPT) {
      const jsonLength = payload.readUInt32BE(0);
      const parsed = JSON.parse(payload.subarray(4, 4 + jsonLength).toString('utf8')) as {
        meta: SpooledMeta;
        states?: RecipientState[];
        fileLength?: number;
      };
      records.push({
        offset: at,
        record: {
          type: 'accept',
          meta: parsed.meta,
          ...(parsed.states ? { states: parsed.states } : {}),
          ...(typeof parsed.fileLength === 'number' ? { fileLength: parsed.fileLength } : {}),
          bodyOffset: HEADER + 4 + jsonLength,
          bodyLength: length - 4 - jsonLength,
        },
      });
    } else if (type === RECORD_STATE) {
      records.push({
        offset: at,
        record: { type: 'state', change: JSON.parse(payload.toString('utf8')) as StateChange },
      });
    } else break;
    at = end;
  }
  return { records, validLength: at };
}
