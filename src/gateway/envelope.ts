import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';

/**
 * The envelope sender (RFC 5321 MAIL FROM) of each delivery: a VERP address, one per recipient, so a bounce names
 * the message and recipient it is about. The local part carries a short HMAC, so nobody can forge a bounce for a
 * message we did not send: `b-<message id>-<recipient index>-<mac>`. It stays well inside the 64-octet limit of
 * RFC 5321 §4.5.3.1.1 and uses only lower-case letters, digits and hyphens, which survive case-folding MTAs.
 */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The key as a KeyObject, made once per key: createHmac with a Buffer key costs about 20 µs more per call (Node
 * checks the argument against its key types by throwing and catching a TypeError), and this runs per recipient.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = createSecretKey(key);
    keyObjects.set(key, object);
  }
  return object;
}

/** `purpose` separates the MACs of bounce ('') and unsubscribe ('u.') addresses: one can never stand for the other. */
function mac(key: Buffer, messageId: string, recipient: number, purpose = ''): string {
  const digest = createHmac('sha256', keyObject(key)).update(`${purpose}${messageId}.${recipient}`).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += BASE32[digest[i]! & 31];
  return out;
}

/** The VERP key, derived from the key-encryption key: the gateway signs with it and the bounce intake checks it. */
export function verpKeyFrom(kek: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'senderd gateway verp v1', 32));
}

export function verpAddress(key: Buffer, messageId: string, recipient: number, domain: string): string {
  return `b-${messageId}-${recipient}-${mac(key, messageId, recipient)}@${domain}`;
}

/** The message and recipient a bounce address names, or null when it is not one of ours (or was forged). */
export function parseVerpAddress(
  key: Buffer,
  address: string,
): { messageId: string; recipient: number } | null {
  const m = /^b-([a-z2-7]+)-(\d{1,6})-([a-z2-7]{8})@/.exec(address.toLowerCase());
  if (m === null) return null;
  const expected = Buffer.from(mac(key, m[1]!, Number(m[2])));
  const given = Buffer.from(m[3]!);
  return timingSafeEqual(expected, given) ? { messageId: m[1]!, recipient: Number(m[2]) } : null;
}

/**
 * The mailto address of List-Unsubscribe (RFC 8058 §3.1, RFC 2369 §3.2) for one recipient of one message:
 * `u-<message id>-<recipient index>-<mac>@<bounce host>`, the VERP form with its own MAC purpose, so the inbound MX
 * knows whom a mail to it unsubscribes and nobody can unsubscribe an address they did not receive mail for.
 */
export function unsubscribeAddress(
  key: Buffer,
  messageId: string,
  recipient: number,
  domain: string,
): string {
  return `u-${messageId}-${recipient}-${mac(key, messageId, recipient, 'u.')}@${domain}`;
}

/** The message and recipient an unsubscribe address names, or null when it is not one of ours (or was forged). */
export function parseUnsubscribeAddress(
  key: Buffer,
  address: string,
): { messageId: string; recipient: number } | null {
  const m = /^u-([a-z2-7]+)-(\d{1,6})-([a-z2-7]{8})@/.exec(address.toLowerCase());
  if (m === null) return null;
  const expected = Buffer.from(mac(key, m[1]!, Number(m[2]), 'u.'));
  const given = Buffer.from(m[3]!);
  return timingSafeEqual(expected, given) ? { messageId: m[1]!, recipient: Number(m[2]) } : null;
}

/**
 * The domain of the envelope sender: the sender domain's own bounce host once the domain is verified (its CNAME
 * points at our hosted MX and SPF, and SPF aligns with the From domain under relaxed alignment, RFC 7489 §3.1.2);
 * before that, the platform's bounce domain.
 */
export function envelopeDomain(domain: SenderDomain | null, platformBounceDomain: string): string {
  if (domain === null || domain.verifiedAt === null) return platformBounceDomain;
  return `${domain.settings.bounceLabel}.${domain.name}`;
}

/** The tenant's sender domain for a From domain: the longest one that is the domain itself or a parent of it. */
export function matchSenderDomain(domains: readonly SenderDomain[], from: DomainName): SenderDomain | null {
  let best: SenderDomain | null = null;
  for (const d of domains) {
    if (
      (from === d.name || from.endsWith(`.${d.name}`)) &&
      (best === null || d.name.length > best.name.length)
    )
      best = d;
  }
  return best;
}
