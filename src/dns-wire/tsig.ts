import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { TSIG_ALGORITHMS, type TsigKey } from './tsig-algorithm.ts';
import { encodeTsigRecord, parseTsigRecord, TsigError, type TsigRecord } from './tsig-record.ts';
import { nameToWire } from './wire-name.ts';

/**
 * Signing and verifying DNS messages with TSIG (RFC 8945), free of sockets: the time is an argument (seconds
 * since the epoch), so callers inject their clock. The digest of a message is HMAC over, in order (§4.3):
 * the request MAC or prior MAC (each with its 2-octet length) where there is one, the message as it was
 * before the TSIG record was added (ARCOUNT without it, the Original ID in the header), and the TSIG
 * variables (§4.3.3) — or only the timers (Time Signed, Fudge) for the later messages of a TCP stream (§5.3.1).
 */

/** The fudge we sign with: 300 seconds, as §10 recommends. */
export const DEFAULT_FUDGE = 300;

export interface SignOptions {
  readonly key: TsigKey;
  /** Seconds since the epoch. */
  readonly timeSigned: number;
  readonly fudge?: number;
  /** The request's MAC (signing a response) or the previous message's MAC (a later message of a stream). */
  readonly priorMac?: Buffer;
  /** §5.3.1: a later message of a TCP stream digests only the timers. */
  readonly timersOnly?: boolean;
  readonly error?: number;
  readonly otherData?: Buffer;
}

export interface Signed {
  readonly message: Buffer;
  readonly mac: Buffer;
}

/** Appends a TSIG record to `message` (which has none) and raises ARCOUNT. */
export function signMessage(message: Buffer, o: SignOptions): Signed {
  const record = {
    keyName: o.key.name,
    algorithm: o.key.algorithm,
    timeSigned: o.timeSigned,
    fudge: o.fudge ?? DEFAULT_FUDGE,
    originalId: message.readUInt16BE(0),
    error: o.error ?? TsigError.NOERROR,
    otherData: o.otherData ?? Buffer.alloc(0),
  };
  const mac = digest(o.key, message, record, o.priorMac, o.timersOnly === true);
  return { message: appendRecord(message, { ...record, mac }), mac };
}

/**
 * An error answer with an unsigned TSIG record (MAC size 0), for BADKEY and BADSIG: §5.3.2 forbids signing
 * those, since the key or the MAC of the request is not to be trusted.
 */
export function appendUnsignedTsig(
  message: Buffer,
  request: TsigRecord,
  error: number,
  timeSigned: number,
): Buffer {
  return appendRecord(message, {
    keyName: request.keyName,
    algorithm: request.algorithm,
    timeSigned,
    fudge: request.fudge,
    mac: Buffer.alloc(0),
    originalId: message.readUInt16BE(0),
    error,
    otherData: Buffer.alloc(0),
  });
}

function appendRecord(message: Buffer, record: TsigRecord): Buffer {
  const out = Buffer.concat([message, encodeTsigRecord(record)]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}

function digest(
  key: TsigKey,
  message: Buffer,
  record: Omit<TsigRecord, 'mac'>,
  priorMac: Buffer | undefined,
  timersOnly: boolean,
): Buffer {
  const hmac = createHmac(TSIG_ALGORITHMS[key.algorithm].hash, keyObject(key));
  if (priorMac !== undefined) {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(priorMac.length);
    hmac.update(length).update(priorMac);
  }
  hmac.update(message);
  // §4.3.3: the variables, names in canonical form (lower case, uncompressed); CLASS ANY, TTL 0.
  const timers = Buffer.alloc(8);
  timers.writeUIntBE(record.timeSigned, 0, 6);
  timers.writeUInt16BE(record.fudge, 6);
  if (timersOnly) return hmac.update(timers).digest();
  const tail = Buffer.alloc(6);
  tail.writeUInt16BE(record.error, 0);
  tail.writeUInt16BE(record.otherData.length, 2);
  return hmac
    .update(nameToWire(record.keyName))
    .update(CLASS_ANY_TTL_0)
    .update(nameToWire(record.algorithm))
    .update(timers)
    .update(tail.subarray(0, 4))
    .update(record.otherData)
    .digest();
}

const CLASS_ANY_TTL_0 = Buffer.from([0, 255, 0, 0, 0, 0]);

/** Node turns a raw secret into a KeyObject on every createHmac; one made once per key is 3× faster (bench:tsig). */
const keyObjects = new WeakMap<TsigKey, KeyObject>();
function keyObject(key: TsigKey): KeyObject {
  let made = keyObjects.get(key);
  if (made === undefined) {
    made = createSecretKey(key.secret);
    keyObjects.set(key, made);
  }
  return made;
}

/** The outcome of checking a signed message, in the order §5.2 checks: key, MAC, time. */
export type TsigCheck =
  | { readonly ok: true; readonly key: TsigKey; readonly record: TsigRecord }
  /** §5.2, §5.2.2.1: the record cannot be interpreted, or its MAC size is out of bounds. */
  | { readonly ok: false; readonly rcode: 'FORMERR' }
  | {
      readonly ok: false;
      readonly rcode: 'NOTAUTH';
      readonly error: number;
      readonly record: TsigRecord;
      /** Only for BADTIME: the key the request was validly signed with (its answer is signed, §5.2.3). */
      readonly key?: TsigKey;
    };

export interface VerifyOptions {
  /** Keys by name (lower case). */
  readonly keys: ReadonlyMap<string, TsigKey>;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly priorMac?: Buffer;
  readonly timersOnly?: boolean;
}

/** Checks the TSIG record at `start` (see locateTsig) of a message. */
export function verifyMessage(message: Buffer, start: number, o: VerifyOptions): TsigCheck {
  const record = parseTsigRecord(message, start);
  if (record === null) return { ok: false, rcode: 'FORMERR' };
  // §5.2.1: an unknown key, or a known key with another algorithm, is BADKEY.
  const key = o.keys.get(record.keyName);
  if (key === undefined || key.algorithm !== record.algorithm)
    return { ok: false, rcode: 'NOTAUTH', error: TsigError.BADKEY, record };
  // §5.2.2.1: a MAC longer than the hash, or shorter than max(10, half the hash), is malformed.
  const full = TSIG_ALGORITHMS[key.algorithm].outputLength;
  const size = record.mac.length;
  if (size > full || size < Math.max(10, full / 2)) return { ok: false, rcode: 'FORMERR' };
  const unsigned = Buffer.from(message.subarray(0, start));
  unsigned.writeUInt16BE(record.originalId, 0);
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  // A truncated MAC is compared with ours truncated the same way (§5.2.2.1, case 4).
  const expected = digest(key, unsigned, record, o.priorMac, o.timersOnly === true).subarray(0, size);
  if (!timingSafeEqual(expected, record.mac))
    return { ok: false, rcode: 'NOTAUTH', error: TsigError.BADSIG, record };
  // §5.2.3: the time must be within Time Signed ± Fudge.
  if (Math.abs(o.now - record.timeSigned) > record.fudge)
    return { ok: false, rcode: 'NOTAUTH', error: TsigError.BADTIME, record, key };
  return { ok: true, key, record };
}

/** The size of the TSIG record a key signs with (full MAC, no Other Data), to keep room for it in an answer. */
export function tsigRecordSize(key: TsigKey): number {
  return (
    key.name.length + 2 + 10 + key.algorithm.length + 2 + 16 + TSIG_ALGORITHMS[key.algorithm].outputLength
  );
}

/** The 6 octets of a BADTIME answer's Other Data: our current time (§5.2.3). */
export function badTimeOtherData(now: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(now, 0, 6);
  return b;
}

/**
 * Signs the messages of a zone transfer answering a signed request (§5.3.1), one after another. Every message is
 * signed (the RFC asks for at least every 100th and the last): the first over the request MAC and the full
 * variables, each later one over the previous MAC and the timers only.
 */
export class StreamSigner {
  readonly #key: TsigKey;
  readonly #timeSigned: number;
  #prior: Buffer;
  #first = true;

  constructor(key: TsigKey, requestMac: Buffer, timeSigned: number) {
    this.#key = key;
    this.#prior = requestMac;
    this.#timeSigned = timeSigned;
  }

  sign(message: Buffer): Buffer {
    const signed = signMessage(message, {
      key: this.#key,
      timeSigned: this.#timeSigned,
      priorMac: this.#prior,
      timersOnly: !this.#first,
    });
    this.#first = false;
    this.#prior = signed.mac;
    return signed.message;
  }
}

/** Every message of a transfer made in memory, signed. */
export function signStream(
  messages: readonly Buffer[],
  key: TsigKey,
  requestMac: Buffer,
  timeSigned: number,
): Buffer[] {
  const signer = new StreamSigner(key, requestMac, timeSigned);
  return messages.map((m) => signer.sign(m));
}

/** Every message of a transfer, signed as it is made. */
export async function* signMessages(
  messages: AsyncIterable<Buffer>,
  key: TsigKey,
  requestMac: Buffer,
  timeSigned: number,
): AsyncGenerator<Buffer> {
  const signer = new StreamSigner(key, requestMac, timeSigned);
  for await (const message of messages) yield signer.sign(message);
}
