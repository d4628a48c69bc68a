import { createSocket, type Socket } from 'node:dgram';
import type { Clock, RandomSource } from '../core/index.ts';
import { formatIp, parseIp, unmapped } from '../ip/index.ts';
import { decodeMessage } from './message-decoder.ts';
import { writeRecord, type ResourceRecord } from './resource-record.ts';
import {
  Flag,
  HEADER_LENGTH,
  locateTsig,
  Opcode,
  RRType,
  signMessage,
  type TsigKey,
  verifyMessage,
} from '../dns-wire/index.ts';
import { WireWriter } from './wire-writer.ts';

/**
 * NOTIFY (RFC 1996) to the secondaries whenever the serial rises: a QUERY-shaped message with opcode NOTIFY,
 * AA set, the apex SOA as the question and the new SOA in the answer section (§3.7, so a secondary may skip
 * its SOA query). Each target is retried with a doubling interval until it answers (§3.6); a newer serial
 * replaces an older one still being retried. To a target with a TSIG key the NOTIFY is signed, and only an
 * answer whose TSIG verifies against our request's MAC counts (RFC 8945 §5.4): anything else is reported as
 * 'unverified' and the retries go on.
 */
export interface NotifyTarget {
  readonly host: string;
  readonly port: number;
  /** Sign the NOTIFY with this key and require its answer to be signed with it (RFC 8945). */
  readonly key?: TsigKey;
}

export interface NotifierOptions {
  readonly apex: string;
  readonly targets: readonly NotifyTarget[];
  readonly random: RandomSource;
  /** For TSIG's Time Signed and the check of the answer's. */
  readonly clock: Clock;
  /** First retry after this long; each later retry waits twice as long. */
  readonly retryMs: number;
  readonly attempts: number;
  readonly onOutcome: (target: NotifyTarget, serial: number, outcome: NotifyOutcome) => void;
}

export type NotifyOutcome = 'acknowledged' | 'unanswered' | 'unverified';

interface Pending {
  readonly id: number;
  readonly serial: number;
  timer: NodeJS.Timeout;
  readonly key?: TsigKey | undefined;
  /** The MAC of our signed NOTIFY, which the answer's MAC covers (RFC 8945 §4.3.1). */
  readonly mac?: Buffer | undefined;
}

export class Notifier {
  readonly #o: NotifierOptions;
  readonly #sockets = new Map<'udp4' | 'udp6', Socket>();
  readonly #pending = new Map<string, Pending>();

  constructor(options: NotifierOptions) {
    this.#o = options;
  }

  /** Sends NOTIFY for this SOA to every target. */
  notify(soa: ResourceRecord): void {
    if (soa.data.type !== 'SOA') throw new Error('NOTIFY needs the SOA record');
    for (const target of this.#o.targets) this.#send(target, soa, soa.data.serial, 1);
  }

  #send(target: NotifyTarget, soa: ResourceRecord, serial: number, attempt: number): void {
    const key = peerKey(target.host, target.port);
    const previous = this.#pending.get(key);
    if (previous !== undefined) clearTimeout(previous.timer);
    const id = this.#o.random.bytes(2).readUInt16BE(0);
    let message = notifyMessage(id, this.#o.apex, soa);
    let mac: Buffer | undefined;
    if (target.key !== undefined) {
      const signed = signMessage(message, { key: target.key, timeSigned: this.#seconds() });
      message = signed.message;
      mac = signed.mac;
    }
    this.#socket(target.host).send(message, target.port, target.host);
    const timer = setTimeout(
      () => {
        if (this.#pending.get(key)?.id !== id) return;
        if (attempt >= this.#o.attempts) {
          this.#pending.delete(key);
          this.#o.onOutcome(target, serial, 'unanswered');
          return;
        }
        this.#send(target, soa, serial, attempt + 1);
      },
      this.#o.retryMs * 2 ** (attempt - 1),
    );
    timer.unref();
    this.#pending.set(key, { id, serial, timer, key: target.key, mac });
  }

  #seconds(): number {
    return Math.floor(this.#o.clock.now().getTime() / 1000);
  }

  /** Whether an answer to a signed NOTIFY carries a TSIG that verifies; true when we did not sign. */
  #verified(msg: Buffer, pending: Pending): boolean {
    if (pending.key === undefined || pending.mac === undefined) return true;
    const place = locateTsig(msg);
    if (place.kind !== 'at') return false;
    const verdict = verifyMessage(msg, place.start, {
      keys: new Map([[pending.key.name, pending.key]]),
      now: this.#seconds(),
      priorMac: pending.mac,
    });
    return verdict.ok;
  }

  #socket(host: string): Socket {
    const type = parseIp(host)?.family === 6 ? 'udp6' : 'udp4';
    let socket = this.#sockets.get(type);
    if (socket === undefined) {
      socket = createSocket(type);
      socket.on('message', (msg, rinfo) => this.#onAnswer(msg, rinfo.address, rinfo.port));
      socket.on('error', () => undefined); // an unreachable target shows as 'unanswered'
      socket.unref();
      this.#sockets.set(type, socket);
    }
    return socket;
  }

  /** RFC 1996 §4.7: the answer must come from the target, match the ID, and echo the question. */
  #onAnswer(msg: Buffer, host: string, port: number): void {
    if (msg.length < HEADER_LENGTH) return;
    const key = peerKey(host, port);
    const pending = this.#pending.get(key);
    if (pending === undefined || msg.readUInt16BE(0) !== pending.id) return;
    const answer = decodeMessage(msg);
    if (answer === null || (answer.flags & Flag.QR) === 0 || answer.opcode !== Opcode.NOTIFY) return;
    const question = answer.question[0];
    if (
      question !== undefined &&
      (question.name.toLowerCase() !== this.#o.apex || question.type !== RRType.SOA)
    )
      return;
    if (!this.#verified(msg, pending)) {
      this.#o.onOutcome({ host, port }, pending.serial, 'unverified');
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(key);
    this.#o.onOutcome({ host, port }, pending.serial, 'acknowledged');
  }

  close(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    for (const s of this.#sockets.values()) s.close();
    this.#sockets.clear();
  }
}

/**
 * Where an answer must come from, as one key (RFC 1996 §4.7): the address in canonical text, an IPv4-mapped
 * source (a dual-stack socket's view of an IPv4 peer) as its IPv4 address.
 */
function peerKey(host: string, port: number): string {
  const ip = parseIp(host);
  return `${ip === null ? host : formatIp(unmapped(ip))}#${port}`;
}

export function notifyMessage(id: number, apex: string, soa: ResourceRecord): Buffer {
  const w = new WireWriter(0, 128);
  w.u16(id)
    .u16((Opcode.NOTIFY << 11) | Flag.AA)
    .u16(1)
    .u16(1)
    .u16(0)
    .u16(0);
  w.name(apex).u16(RRType.SOA).u16(1);
  writeRecord(w, soa);
  return w.toBuffer();
}
