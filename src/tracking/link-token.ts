/**
 * Link tokens: what stands after `/c/` (a click) or `/o/` (an open) in a rewritten URL. A token carries the message
 * id, an opaque recipient id, the link index and, for a click, the target URL itself, all under an HMAC-SHA256 tag
 * truncated to 128 bits. With the URL inside the token the edge needs no storage to redirect, and there is no open
 * redirect: a changed URL (or any other changed byte) breaks the tag, and without the secret no one can mint one.
 *
 * Layout, before base64url (RFC 4648 §5, no padding):
 *   version (1) | key id (1) | kind (1: 0 click, 1 open, 2 unsubscribe) | link index (varint) | message id (varint length, UTF-8)
 *   | recipient id (varint length, UTF-8) | URL (UTF-8, the rest) | tag (16)
 * The tag covers every byte before it. The key id names the secret that made the tag, so keys rotate: new tokens
 * use the current key, and tokens in mail already sent keep verifying while their key stays in the ring.
 */
import { timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../core/index.ts';
import { HmacSha256 } from './hmac-sha256.ts';

const VERSION = 1;
/** 128 bits: the truncation NIST SP 800-107 §5.3.4 allows for HMAC-SHA256 tags that must resist forgery. */
const TAG_BYTES = 16;
const MIN_SECRET_BYTES = 32;
const MAX_ID_BYTES = 255;
/** Longer URLs than browsers and mail clients handle well are refused rather than minted. */
export const MAX_URL_BYTES = 8192;

/** `unsubscribe` is the RFC 8058 one-click URL of List-Unsubscribe (issue 18): no link index, no URL. */
export type LinkKind = 'click' | 'open' | 'unsubscribe';
const KIND_BYTES: Record<LinkKind, number> = { click: 0, open: 1, unsubscribe: 2 };
const KINDS: readonly LinkKind[] = ['click', 'open', 'unsubscribe'];

export interface LinkTokenKey {
  /** 0-255, written into each token. */
  readonly id: number;
  /** At least 32 random bytes. Never logged. */
  readonly secret: Buffer;
}

/** The keys a verifier accepts, and the one new tokens are made with. */
export interface LinkTokenKeys {
  readonly current: LinkTokenKey;
  readonly previous?: readonly LinkTokenKey[];
}

export interface LinkClaims {
  readonly kind: LinkKind;
  readonly messageId: string;
  /**
   * An opaque id for the recipient, never the address. senderd's gateway uses the recipient's index (decimal, from
   * "0") in the message's stored recipient list (`gateway_messages.recipients`), so the edge finds the address,
   * tenant and sender domain by message id without the address ever appearing in a URL.
   */
  readonly recipientId: string;
  /** 0 for the first tracked link of the message, in document order; 0 for an open or an unsubscribe. */
  readonly linkIndex: number;
  /** The target of a click ('' for an open or an unsubscribe). */
  readonly url: string;
}

export interface VerifiedLink extends LinkClaims {
  readonly keyId: number;
}

export type LinkTokenProblem = 'malformed' | 'unknown-key' | 'bad-tag' | 'unsupported-version';

/** Checks keys once, where they are configured: a short secret or a bad id is a bug in the caller's setup. */
export function checkLinkTokenKeys(keys: LinkTokenKeys): void {
  const all = [keys.current, ...(keys.previous ?? [])];
  const ids = new Set<number>();
  for (const key of all) {
    if (!Number.isInteger(key.id) || key.id < 0 || key.id > 255)
      throw new RangeError(`link token key id ${key.id} is not 0-255`);
    if (key.secret.length < MIN_SECRET_BYTES)
      throw new RangeError(`link token key ${key.id} is shorter than ${MIN_SECRET_BYTES} bytes`);
    if (ids.has(key.id)) throw new RangeError(`link token key id ${key.id} is used twice`);
    ids.add(key.id);
  }
}

/** A token for `claims`, tagged with the current key. Throws on claims no token may carry (a caller's bug). */
export function signLinkToken(keys: LinkTokenKeys, claims: LinkClaims): string {
  return new LinkTokenSigner(keys, claims.messageId, claims.recipientId).sign(
    claims.kind,
    claims.linkIndex,
    claims.url,
  );
}

/** One token at a time is laid out here: the longest head, URL and tag fit (signing is synchronous). */
const scratch = Buffer.alloc(3 + 8 + 2 * (2 + MAX_ID_BYTES) + 3 * MAX_URL_BYTES + TAG_BYTES);

/**
 * Makes the tokens of one message and recipient, as `signLinkToken` would, byte for byte: the ids are checked and
 * encoded once, and each token is laid out in one shared buffer and tagged there, with no allocation but its
 * string. The rewriter signs every link of a message with one (bench:tracking).
 */
export class LinkTokenSigner {
  readonly #keyId: number;
  readonly #mac: HmacSha256;
  /** varint(message id length) | message id | varint(recipient id length) | recipient id. */
  readonly #ids: Buffer;

  constructor(keys: LinkTokenKeys, messageId: string, recipientId: string) {
    const message = Buffer.from(messageId, 'utf8');
    const recipient = Buffer.from(recipientId, 'utf8');
    if (message.length === 0 || message.length > MAX_ID_BYTES)
      throw new RangeError('a link token message id is 1-255 bytes');
    if (recipient.length === 0 || recipient.length > MAX_ID_BYTES)
      throw new RangeError('a link token recipient id is 1-255 bytes');
    if (recipientId.includes('@'))
      throw new RangeError('a link token recipient id must be opaque, not an address');
    const ids = Buffer.allocUnsafe(2 * 2 + message.length + recipient.length);
    let at = writeVarint(ids, 0, message.length);
    at += message.copy(ids, at);
    at = writeVarint(ids, at, recipient.length);
    at += recipient.copy(ids, at);
    this.#ids = ids.subarray(0, at);
    this.#keyId = keys.current.id;
    this.#mac = macOf(keys.current.secret);
  }

  sign(kind: LinkKind, linkIndex: number, url: string): string {
    // A UTF-16 code unit is at least one UTF-8 byte, so a string this long is too long in bytes as well.
    if (url.length > MAX_URL_BYTES) throw new RangeError(`a tracked URL is over ${MAX_URL_BYTES} bytes`);
    const out = scratch;
    const ids = this.#ids;
    const urlAt = 3 + 8 + ids.length;
    const urlBytes = out.write(url, urlAt, 'utf8');
    if (urlBytes > MAX_URL_BYTES) throw new RangeError(`a tracked URL is over ${MAX_URL_BYTES} bytes`);
    if (!Number.isSafeInteger(linkIndex) || linkIndex < 0)
      throw new RangeError('a link index is a whole number from 0');
    // The URL went in after room for the longest index; the head is written just before it.
    const headLength = 3 + varintLength(linkIndex) + ids.length;
    const start = urlAt - headLength;
    out[start] = VERSION;
    out[start + 1] = this.#keyId;
    out[start + 2] = KIND_BYTES[kind];
    let at = writeVarint(out, start + 3, linkIndex);
    for (let i = 0; i < ids.length; i++) out[at++] = ids[i]!;
    const end = urlAt + urlBytes;
    this.#mac.sign(out, start, end, out, end, TAG_BYTES);
    return out.toString('base64url', start, end + TAG_BYTES);
  }
}

/** The claims of a token whose tag verifies under a key in the ring, or why it was refused. */
export function verifyLinkToken(keys: LinkTokenKeys, token: string): Result<VerifiedLink, LinkTokenProblem> {
  if (token.length === 0 || token.length > 2 * MAX_URL_BYTES || !/^[A-Za-z0-9_-]+$/.test(token))
    return err('malformed');
  const bytes = Buffer.from(token, 'base64url');
  // Base64url round trip: a token with trailing bits set or cut inside a character is not one we made.
  if (bytes.toString('base64url') !== token) return err('malformed');
  if (bytes.length < 3 + 3 + TAG_BYTES) return err('malformed');
  if (bytes[0] !== VERSION) return err('unsupported-version');
  const key = [keys.current, ...(keys.previous ?? [])].find((k) => k.id === bytes[1]);
  if (key === undefined) return err('unknown-key');
  const payload = bytes.subarray(0, bytes.length - TAG_BYTES);
  if (!timingSafeEqual(tag(key.secret, payload), bytes.subarray(payload.length))) return err('bad-tag');
  // The tag verified, so the fields are ours; the reader still checks every length (a key may have leaked).
  const reader = new Reader(payload, 3);
  const linkIndex = reader.varint();
  const messageId = reader.bytes(reader.varint());
  const recipientId = reader.bytes(reader.varint());
  const kind = KINDS[bytes[2]!];
  if (linkIndex === null || messageId === null || recipientId === null || kind === undefined)
    return err('malformed');
  return ok({
    keyId: key.id,
    kind,
    linkIndex,
    messageId: messageId.toString('utf8'),
    recipientId: recipientId.toString('utf8'),
    url: payload.subarray(reader.at).toString('utf8'),
  });
}

/** Key states made once per secret: absorbing the padded key is half the work of a short HMAC. */
const macs = new WeakMap<Buffer, HmacSha256>();

function macOf(secret: Buffer): HmacSha256 {
  let mac = macs.get(secret);
  if (mac === undefined) {
    mac = new HmacSha256(secret);
    macs.set(secret, mac);
  }
  return mac;
}

function tag(secret: Buffer, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(TAG_BYTES);
  macOf(secret).sign(payload, 0, payload.length, out, 0, TAG_BYTES);
  return out;
}

/** Unsigned LEB128 (at most 8 bytes for a safe integer) written at `at`; returns where it ends. */
function writeVarint(into: Buffer, at: number, n: number): number {
  let rest = n;
  let i = at;
  while (rest >= 0x80) {
    into[i++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  into[i++] = rest;
  return i;
}

function varintLength(n: number): number {
  let length = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

class Reader {
  readonly #data: Buffer;
  at: number;
  constructor(data: Buffer, at: number) {
    this.#data = data;
    this.at = at;
  }
  varint(): number | null {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.#data[this.at++];
      if (byte === undefined) return null;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    return null;
  }
  bytes(length: number | null): Buffer | null {
    if (length === null || this.at + length > this.#data.length) return null;
    const out = this.#data.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}
