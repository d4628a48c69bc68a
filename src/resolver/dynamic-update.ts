import {
  HEADER_LENGTH,
  locateTsig,
  parseTsigRecord,
  signMessage,
  TsigError,
  rcodeName,
  verifyMessage,
  type TsigKey,
} from '../dns-wire/index.ts';
import type { RandomSource } from '../core/index.ts';
import type { DnsServerAddress } from './model.ts';
import { exchangeTcp } from './tcp-exchange.ts';
import { encodeUpdate, type Change, type Prerequisite } from './update-message.ts';

export interface DynamicUpdate {
  readonly server: DnsServerAddress;
  /** The apex of the zone to change (the zone section, RFC 2136 §2.3). */
  readonly zone: string;
  readonly prerequisites: readonly Prerequisite[];
  readonly changes: readonly Change[];
  /** The TSIG key to sign with (RFC 8945), or null to send unsigned. */
  readonly key: TsigKey | null;
  /** Seconds since the epoch, for TSIG's Time Signed. */
  readonly now: () => number;
  readonly random: RandomSource;
  readonly timeoutMs: number;
}

/** What the server did with the update, as data. */
export type UpdateOutcome =
  | { readonly kind: 'applied' }
  /** The server answered with an error RCODE (and, for NOTAUTH, the TSIG error). Nothing was changed. */
  | { readonly kind: 'refused'; readonly rcode: string; readonly tsigError: string | null }
  /** No trustworthy answer: unreachable, silent, or an answer that is not signed with the key. */
  | { readonly kind: 'failure'; readonly reason: string };

const TSIG_ERRORS = new Map<number, string>(Object.entries(TsigError).map(([k, v]) => [v, k]));

/**
 * Sends an RFC 2136 UPDATE over TCP, signed with TSIG, and reads the server's verdict. The answer to a signed
 * update must be signed with the same key over the request's MAC (RFC 8945 §5.3); one that is not is not
 * believed, whatever it says. The update is all-or-nothing on the server (RFC 2136 §3.7).
 */
export async function sendUpdate(u: DynamicUpdate): Promise<UpdateOutcome> {
  const b = u.random.bytes(2);
  const id = (b[0]! << 8) | b[1]!;
  let message = encodeUpdate(id, u.zone, u.prerequisites, u.changes);
  let requestMac: Buffer | null = null;
  if (u.key !== null) {
    const signed = signMessage(message, { key: u.key, timeSigned: u.now() });
    message = signed.message;
    requestMac = signed.mac;
  }
  const reply = await exchangeTcp(u.server, message, u.timeoutMs);
  if (!reply.ok) return { kind: 'failure', reason: reply.reason };
  const answer = reply.message;
  if (answer.length < HEADER_LENGTH || answer.readUInt16BE(0) !== id || (answer[2]! & 0x80) === 0)
    return { kind: 'failure', reason: 'the answer does not belong to the update sent' };
  const rcode = rcodeName(answer[3]! & 0x0f);
  if (u.key === null || requestMac === null)
    return rcode === 'NOERROR' ? { kind: 'applied' } : { kind: 'refused', rcode, tsigError: null };
  const place = locateTsig(answer);
  if (place.kind !== 'at')
    return rcode === 'NOERROR'
      ? {
          kind: 'failure',
          reason: 'the server answered without a TSIG signature, so the answer cannot be trusted',
        }
      : { kind: 'refused', rcode, tsigError: null };
  const record = parseTsigRecord(answer, place.start);
  // §5.3.2: BADKEY and BADSIG answers are unsigned; they still say why the update was refused.
  if (record !== null && record.error !== TsigError.NOERROR)
    return {
      kind: 'refused',
      rcode,
      tsigError: TSIG_ERRORS.get(record.error) ?? `TSIG error ${record.error}`,
    };
  const check = verifyMessage(answer, place.start, {
    keys: new Map([[u.key.name, u.key]]),
    now: u.now(),
    priorMac: requestMac,
  });
  if (!check.ok) return { kind: 'failure', reason: "the answer's TSIG signature does not verify" };
  return rcode === 'NOERROR' ? { kind: 'applied' } : { kind: 'refused', rcode, tsigError: null };
}
