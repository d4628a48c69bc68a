import { hashBytes, type ArenaReader } from './answer-store.ts';
import { readQuery, Unreadable, type Query } from './query-reader.ts';
import type { TransferAcl } from './transfer-acl.ts';
import {
  appendUnsignedTsig,
  badTimeOtherData,
  CLASSIC_UDP_SIZE,
  Flag,
  HEADER_LENGTH,
  Rcode,
  RRClass,
  RRType,
  signMessage,
  signMessages,
  type TsigKey,
  tsigRecordSize,
  verifyMessage,
} from '../dns-wire/index.ts';

/**
 * Turns one request message into the chunks of one answer message, without touching a socket. This is the
 * one place that decides RCODEs: undecodable → FORMERR, an exception → SERVFAIL, another opcode → NOTIMP,
 * outside the zone → REFUSED, a TSIG that fails → NOTAUTH (RFC 8945 §5.2). The chunks are the request's own header and question (rewritten in place, so
 * the question's case is preserved byte for byte), then pre-encoded sections, then an OPT record.
 */

export type Transport = 'udp' | 'tcp';

/**
 * A zone transfer over TCP (RFC 5936, RFC 1995): whole messages, each to be framed and sent in order, made as the
 * client reads them (a large zone is not built in memory first).
 */
export interface TransferReply {
  readonly transfer: AsyncIterable<Buffer>;
}

/** Chunks of one answer message, the messages of a transfer, or null to stay silent. */
export type Reply = Buffer[] | TransferReply | null;

export interface ResponderOptions {
  /** The pre-encoded answers (answer-store.ts). */
  readonly answers: ArenaReader;
  /** The zone apex as a folded wire key. */
  readonly apexKey: Uint8Array;
  /** The largest UDP answer we send and the size we advertise in OPT (RFC 6891 §6.2.5; 1232 avoids fragments). */
  readonly ednsPayloadSize: number;
  /**
   * The messages of a zone transfer, AXFR or IXFR (zone-transfer.ts); absent where transfers are not served (UDP
   * workers). Called synchronously, so the version transferred is the one being served when the request came.
   */
  readonly transferMessages?: (request: Buffer, query: Query, client: string) => AsyncIterable<Buffer>;
  /**
   * Whether this client may transfer the zone (RFC 5936 §6: access control is the primary's duty), given the
   * TSIG key its request was validly signed with (null: unsigned).
   */
  readonly allowTransfer: TransferAcl;
  /** TSIG keys by name (RFC 8945). */
  readonly tsigKeys: ReadonlyMap<string, TsigKey>;
  /** The current time in seconds since the epoch, for TSIG (the injected clock). */
  readonly now: () => number;
  /** Called when a signed request fails its TSIG check (RFC 8945 §5.2.1: the server SHOULD log it). */
  readonly onTsigFailure?: (client: string, keyName: string, tsigError: number) => void;
  /** Called with an exception that became SERVFAIL. */
  readonly onError: (error: unknown) => void;
}

export class Responder {
  readonly #o: ResponderOptions;
  readonly #opt: Buffer;
  readonly #optDo: Buffer;
  readonly #optBadvers: Buffer;

  constructor(options: ResponderOptions) {
    this.#o = options;
    this.#opt = optRecord(options.ednsPayloadSize, 0, false);
    this.#optDo = optRecord(options.ednsPayloadSize, 0, true);
    this.#optBadvers = optRecord(options.ednsPayloadSize, Rcode.BADVERS >> 4, false);
  }

  answer(msg: Buffer, transport: Transport, client: string): Reply {
    let query: Query | undefined;
    try {
      const read = readQuery(msg);
      if (typeof read === 'number') return this.#unreadable(msg, read);
      query = read;
      if (query.tsigStart >= 0) return this.#answerSigned(msg, query, transport, client);
      return this.#answerQuery(msg, query, transport, client, null, 0);
    } catch (error) {
      this.#o.onError(error);
      return query === undefined
        ? headerOnly(msg, Rcode.SERVFAIL, null)
        : this.#bare(msg, query, Rcode.SERVFAIL, false);
    }
  }

  /** Response rate limiting's "slip" (a TC=1 answer with no records): a real client retries over TCP. */
  slip(msg: Buffer): Reply {
    const query = readQuery(msg);
    if (typeof query === 'number') return null;
    const chunks = this.#bare(msg, query, Rcode.NOERROR, true);
    msg[2] = msg[2]! | (Flag.TC >> 8);
    return chunks;
  }

  #unreadable(msg: Buffer, what: Unreadable): Reply {
    switch (what) {
      case Unreadable.DROP:
        return null;
      case Unreadable.FORMERR:
        return headerOnly(msg, Rcode.FORMERR, null);
      case Unreadable.FORMERR_EDNS:
        return headerOnly(msg, Rcode.FORMERR, this.#opt);
      case Unreadable.NOTIMP:
        return headerOnly(msg, Rcode.NOTIMP, null);
      case Unreadable.NOTIMP_EDNS:
        return headerOnly(msg, Rcode.NOTIMP, this.#opt);
    }
  }

  /**
   * A signed request (RFC 8945 §5.2): checked in order key, MAC, time. BADKEY and BADSIG are answered with an
   * unsigned TSIG, BADTIME with one signed over the request's MAC (§5.3.2); a good request gets a signed
   * answer, and a transfer has every message signed (§5.3.1).
   */
  #answerSigned(msg: Buffer, q: Query, transport: Transport, client: string): Reply {
    const now = this.#o.now();
    const check = verifyMessage(msg, q.tsigStart, { keys: this.#o.tsigKeys, now });
    if (!check.ok) {
      if (check.rcode === 'FORMERR') return headerOnly(msg, Rcode.FORMERR, null);
      this.#o.onTsigFailure?.(client, check.record.keyName, check.error);
      const answer = Buffer.concat(this.#bare(msg, q, Rcode.NOTAUTH, false));
      if (check.key === undefined) return [appendUnsignedTsig(answer, check.record, check.error, now)];
      // §5.2.3: Time Signed and Fudge as the request had them, our time in Other Data.
      const signed = signMessage(answer, {
        key: check.key,
        timeSigned: check.record.timeSigned,
        fudge: check.record.fudge,
        priorMac: check.record.mac,
        error: check.error,
        otherData: badTimeOtherData(now),
      });
      return [signed.message];
    }
    const { key, record } = check;
    const reply = this.#answerQuery(msg, q, transport, client, key.name, tsigRecordSize(key));
    if (reply === null) return null;
    if (Array.isArray(reply))
      return [signMessage(Buffer.concat(reply), { key, timeSigned: now, priorMac: record.mac }).message];
    return { transfer: signMessages(reply.transfer, key, record.mac, now) };
  }

  #answerQuery(
    msg: Buffer,
    q: Query,
    transport: Transport,
    client: string,
    keyName: string | null,
    reserve: number,
  ): Reply {
    const arena = this.#o.answers;
    // RFC 6891 §6.1.3: we speak EDNS version 0 only.
    if (q.edns !== null && q.edns.version > 0) return this.#badvers(msg, q);
    if (q.qclass !== RRClass.IN) return this.#bare(msg, q, Rcode.REFUSED, false);
    const relative = relativeLength(q.key, q.qnameLength, this.#o.apexKey);
    const entry = relative < 0 ? 0 : arena.find(q.key, relative, hashBytes(q.key, relative));
    if (q.qtype === RRType.AXFR || q.qtype === RRType.IXFR) {
      const apex = relative === 0 && entry !== 0;
      if (!apex || !this.#o.allowTransfer(client, keyName)) return this.#bare(msg, q, Rcode.REFUSED, false);
      if (transport === 'tcp' && this.#o.transferMessages !== undefined) {
        return { transfer: this.#o.transferMessages(msg, q, client) };
      }
      // RFC 1995 §2: over UDP an IXFR gets the SOA alone, which tells a client behind it to come over TCP, and
      // one that is up to date that there is nothing new. RFC 5936 §4.2: AXFR over UDP is not defined.
      if (q.qtype === RRType.AXFR) return this.#bare(msg, q, Rcode.REFUSED, false);
      return this.#compose(
        msg,
        q,
        arena.answerFor(entry, RRType.SOA, false),
        Rcode.NOERROR,
        transport,
        reserve,
      );
    }
    if (entry !== 0) {
      const answer = arena.answerFor(entry, q.qtype, q.qtype === RRType.ANY);
      return this.#compose(msg, q, answer, Rcode.NOERROR, transport, reserve);
    }
    if (relative >= 0) return this.#compose(msg, q, 0, Rcode.NXDOMAIN, transport, reserve);
    return this.#bare(msg, q, Rcode.REFUSED, false);
  }

  /**
   * Assembles an answer: `answer` is an arena offset, or 0 for a negative answer with no records of its own
   * (NODATA, or NXDOMAIN as `rcode` says).
   */
  #compose(
    msg: Buffer,
    q: Query,
    answer: number,
    rcode: number,
    transport: Transport,
    reserve: number,
  ): Buffer[] {
    const arena = this.#o.answers;
    const opt = q.edns === null ? null : q.edns.dnssecOk ? this.#optDo : this.#opt;
    // `reserve`: room for the TSIG record a signed answer ends with.
    const limit =
      (transport === 'tcp'
        ? 0xffff
        : q.edns === null
          ? CLASSIC_UDP_SIZE
          : Math.min(q.edns.payloadSize, Math.max(this.#o.ednsPayloadSize, CLASSIC_UDP_SIZE))) - reserve;
    const negative = answer === 0 || arena.negative(answer);
    const soaTail = negative ? arena.soaTail() : null;
    const fixed =
      q.questionEnd + (opt === null ? 0 : opt.length) + (soaTail === null ? 0 : 2 + soaTail.length);
    let bodyLength = answer === 0 ? 0 : arena.bodyLength(answer);
    let additional = answer === 0 ? 0 : arena.count(answer, 2);
    let truncated = false;
    if (fixed + bodyLength > limit) {
      // RFC 2181 §9: drop the additional section first; set TC only when required records do not fit.
      bodyLength = arena.requiredLength(answer);
      additional = 0;
      if (fixed + bodyLength > limit) truncated = true;
    }
    const head = msg.subarray(0, q.questionEnd);
    const chunks = [head];
    let answers = 0;
    let authority = 0;
    if (!truncated) {
      if (answer !== 0) {
        rcode = arena.rcode(answer);
        answers = arena.count(answer, 0);
        authority = arena.count(answer, 1);
        if (bodyLength > 0) chunks.push(arena.body(answer, bodyLength));
      }
      if (soaTail !== null) {
        // The SOA's owner is the apex: a pointer to where it ends the question's name.
        chunks.push(POINTERS[HEADER_LENGTH + q.qnameLength - this.#o.apexKey.length]!, soaTail);
        authority += 1;
      }
    } else if (answer !== 0) {
      rcode = arena.rcode(answer);
    }
    if (opt !== null) chunks.push(opt);
    writeHeader(
      head,
      q.flags,
      rcode,
      true,
      truncated,
      answers,
      authority,
      additional + (opt === null ? 0 : 1),
    );
    return chunks;
  }

  /** Header, question and (if asked with EDNS) OPT; no records. */
  #bare(msg: Buffer, q: Query, rcode: number, authoritative: boolean): Buffer[] {
    const head = msg.subarray(0, q.questionEnd);
    const opt = q.edns === null ? null : q.edns.dnssecOk ? this.#optDo : this.#opt;
    writeHeader(head, q.flags, rcode, authoritative, false, 0, 0, opt === null ? 0 : 1);
    return opt === null ? [head] : [head, opt];
  }

  #badvers(msg: Buffer, q: Query): Buffer[] {
    const head = msg.subarray(0, q.questionEnd);
    // The low 4 bits of BADVERS (16) are 0 in the header; the high 8 bits travel in the OPT (RFC 6891 §6.1.3).
    writeHeader(head, q.flags, Rcode.BADVERS & 0xf, false, false, 0, 0, 1);
    return [head, this.#optBadvers];
  }
}

/** Rewrites the request's header in place into the answer's (RFC 1035 §4.1.1). */
function writeHeader(
  head: Buffer,
  requestFlags: number,
  rcode: number,
  authoritative: boolean,
  truncated: boolean,
  answers: number,
  authority: number,
  additional: number,
): void {
  // QR, the request's opcode, AA, TC, and RD copied; RA clear (no recursion here).
  let flags = Flag.QR | (requestFlags & (0x7800 | Flag.RD)) | (rcode & 0xf);
  if (authoritative) flags |= Flag.AA;
  if (truncated) flags |= Flag.TC;
  // RFC 4035 §3.1.6: the CD bit is copied from the query.
  flags |= requestFlags & Flag.CD;
  head.writeUInt16BE(flags, 2);
  head.writeUInt16BE(head.length > HEADER_LENGTH ? 1 : 0, 4);
  head.writeUInt16BE(answers, 6);
  head.writeUInt16BE(authority, 8);
  head.writeUInt16BE(additional, 10);
}

/** A header-only answer to a request we cannot (or will not) read further. */
function headerOnly(msg: Buffer, rcode: number, opt: Buffer | null): Buffer[] {
  const head = Buffer.from(msg.subarray(0, HEADER_LENGTH));
  const flags = (msg[2]! << 8) | msg[3]!;
  writeHeader(head, flags, rcode, false, false, 0, 0, opt === null ? 0 : 1);
  return opt === null ? [head] : [head, opt];
}

/** The OPT pseudo-record of an answer (RFC 6891 §6.1.2): root owner, our payload size, no options. */
function optRecord(payloadSize: number, extendedRcode: number, dnssecOk: boolean): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16BE(RRType.OPT, 1);
  b.writeUInt16BE(Math.max(payloadSize, CLASSIC_UDP_SIZE), 3);
  b[5] = extendedRcode;
  b[6] = 0; // version 0
  b[7] = dnssecOk ? 0x80 : 0;
  return b;
}

/**
 * How many octets of the folded key come before the apex (the key the zone stores the name under), or -1 when the
 * name is not the apex or below it: the apex's key must be a label-aligned suffix of it.
 */
export function relativeLength(key: Uint8Array, length: number, apexKey: Uint8Array): number {
  let i = 0;
  while (length - i > apexKey.length) i += key[i]! + 1;
  if (length - i !== apexKey.length) return -1;
  for (let j = 0; j < apexKey.length; j++) if (key[i + j] !== apexKey[j]) return -1;
  return i;
}

/** `POINTERS[offset]` is a 2-byte compression pointer to `offset`, for owner names that point into the question. */
const POINTERS: readonly Buffer[] = Array.from({ length: 0x200 }, (_, offset) =>
  Buffer.from([0xc0 | (offset >> 8), offset & 0xff]),
);
