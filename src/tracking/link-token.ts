/**
 * Link tokens: what stands after `/c/` (a click), `/o/` (an open) or `/u/` (an unsubscribe) in a rewritten URL. A
 * token carries the message id, an opaque recipient id, the link index and, for a click, the target URL itself,
 * under a 128-bit tag. With the URL inside the token the edge needs no storage to redirect, and there is no open
 * redirect: a changed URL (or any other changed byte) breaks the tag, and without the secret no one can mint one.
 *
 * Layout, before base64url (RFC 4648 §5, no padding):
 *   version (1) | key id (1) | kind (1: 0 click, 1 open, 2 unsubscribe) | link index (varint) | message id (varint length, UTF-8)
 *   | recipient id (varint length, UTF-8) | URL (UTF-8, the rest) | tag (16)
 * The key id names the secret K that made the tag, so keys rotate: new tokens use the current key, and tokens in
 * mail already sent keep verifying while their key stays in the ring.
 *
 * Version 2 (made now). A newsletter goes to many recipients with the same links, so the tag is split in a half
 * made once per link of the message and a half made once per recipient (prepareRewrite in message-rewriter.ts):
 *   seal(link)      = HMAC-SHA256(K, prefix | kind | varint index | URL), first 16 bytes, where
 *   prefix          = 2 | 0 | varint len | message id, zero-padded to whole 64-byte blocks (its HMAC state is
 *                     computed once per message, so a link costs the hash of its own bytes only)
 *   mask(recipient) = HMAC-SHA256(K, 2 | 1 | varint len | message id | varint len | recipient id), first 16 bytes
 *   tag             = AES-256(E, seal(link) XOR mask(recipient)), E = HMAC-SHA256(K, 2 | 2)   (FIPS 197, one block)
 * A copy then costs one short HMAC for its mask and one AES call over all its links' blocks (one AES context per
 * key, set up once), instead of one HMAC over the whole token per link; the seals (the URL bytes, the bulk of the
 * work) are hashed once per message, however many recipients it has.
 *
 * Why it still cannot be forged. HMAC-SHA256 is a PRF under K, and its three uses here never take the same input
 * (the second byte, 0, 1 or 2, tells them apart; every v1 input starts with 1, these with 2), so seals, masks and E
 * are independent random-looking values that never leave the server: only AES outputs do, and AES is a
 * pseudorandom permutation under E. A token for claims C = (kind, index, message, recipient, URL) that were never
 * issued needs AES(E, x) for x = seal(C) XOR mask(C). The forger has seen AES outputs only at inputs
 * x' = seal(C') XOR mask(C') of issued claims C' != C. Whatever fields C and C' share, x = x' needs
 * seal(C) XOR seal(C') = mask(C) XOR mask(C'), an equation between independent random 128-bit values (at least one
 * side is not zero: C and C' differ in the link fields, or in the recipient or message): it holds with probability
 * 2^-128 per pair. With x new, AES(E, x) is unpredictable, so a forgery succeeds with about q·2^-128 for q tokens
 * seen, the strength of a 128-bit tag. Changing a byte of the URL, the index, the kind, either id or the key id
 * changes the seal, the mask or the key, so the tag no longer matches (link-token.test.ts tries each, and moves
 * tags between recipients, links and messages). ECB here is the block cipher itself, one independent block per
 * link: its pattern leak does not arise (equal blocks would mean equal claims, hence equal tokens anyway).
 *
 * Version 1 (mail sent before): the tag is HMAC-SHA256(K, every byte before it), truncated to 16 bytes. Such tokens
 * still verify; none are made.
 */
import { createCipheriv, timingSafeEqual, type Cipheriv } from 'node:crypto';
import { err, ok, type Result } from '../core/index.ts';
import { HmacSha256 } from './hmac-sha256.ts';

/** Tokens made now; v1 tokens (one HMAC over the whole token) still verify. */
const VERSION = 2;
const VERSION_1 = 1;
/** 128 bits: the truncation NIST SP 800-107 §5.3.4 allows for HMAC-SHA256 tags that must resist forgery. */
const TAG_BYTES = 16;
const MIN_SECRET_BYTES = 32;
/** The longest message or recipient id a token carries, in bytes. */
export const MAX_ID_BYTES = 255;
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
  const seals = new MessageSeals(keys, claims.messageId);
  const recipient = seals.forRecipient(claims.recipientId);
  return recipient.tokens([seals.seal(claims.kind, claims.linkIndex, claims.url)])[0]!;
}

/** One token at a time is laid out here: the longest head, URL and tag fit (signing is synchronous). */
const scratch = Buffer.alloc(4 + 8 + 2 * (2 + MAX_ID_BYTES) + 3 * MAX_URL_BYTES + TAG_BYTES);

/** One link of a message as the recipient-independent half of its tokens: its claims and its seal. */
export interface SealedLink {
  readonly kind: LinkKind;
  readonly linkIndex: number;
  /** The URL's UTF-8 bytes (empty for an open or an unsubscribe). */
  readonly url: Buffer;
  /** Where its 16-byte seal is in the message's `seals` buffer. */
  readonly sealAt: number;
}

/**
 * The recipient-independent half of a message's v2 tokens: each link's seal (an HMAC over the version, kind, link
 * index, message id and URL), computed once per message however many recipients it has, and then, per recipient,
 * `forRecipient` for the tokens. The ids are checked and encoded once.
 */
export class MessageSeals {
  readonly #keyId: number;
  readonly #mac: HmacSha256;
  readonly #messageId: Buffer;
  readonly #secret: Buffer;
  /** Grows as links are sealed; `seals()` gives the filled part. */
  #seals = Buffer.allocUnsafe(16 * TAG_BYTES);
  #sealed = 0;

  constructor(keys: LinkTokenKeys, messageId: string) {
    const message = Buffer.from(messageId, 'utf8');
    if (message.length === 0 || message.length > MAX_ID_BYTES)
      throw new RangeError('a link token message id is 1-255 bytes');
    this.#messageId = message;
    this.#keyId = keys.current.id;
    this.#secret = keys.current.secret;
    this.#mac = macOf(keys.current.secret).continued(sealPrefix(message));
  }

  /** Seals one link; throws on claims no token may carry (a caller's bug), as `signLinkToken` does. */
  seal(kind: LinkKind, linkIndex: number, url: string): SealedLink {
    // A UTF-16 code unit is at least one UTF-8 byte, so a string this long is too long in bytes as well.
    if (url.length > MAX_URL_BYTES) throw new RangeError(`a tracked URL is over ${MAX_URL_BYTES} bytes`);
    if (!Number.isSafeInteger(linkIndex) || linkIndex < 0)
      throw new RangeError('a link index is a whole number from 0');
    const urlBytes = url === '' ? EMPTY : Buffer.from(url, 'utf8');
    if (urlBytes.length > MAX_URL_BYTES) throw new RangeError(`a tracked URL is over ${MAX_URL_BYTES} bytes`);
    if (this.#sealed + TAG_BYTES > this.#seals.length) {
      const grown = Buffer.allocUnsafe(2 * this.#seals.length);
      this.#seals.copy(grown, 0, 0, this.#sealed);
      this.#seals = grown;
    }
    const sealAt = this.#sealed;
    const end = writeSealLink(scratch, KIND_BYTES[kind], linkIndex, urlBytes);
    this.#mac.sign(scratch, 0, end, this.#seals, sealAt, TAG_BYTES);
    this.#sealed += TAG_BYTES;
    return { kind, linkIndex, url: urlBytes, sealAt };
  }

  /** The tokens of one recipient, with its mask, which `forRecipient` derives (one short HMAC). */
  forRecipient(recipientId: string): RecipientTokens {
    const recipient = Buffer.from(recipientId, 'utf8');
    if (recipient.length === 0 || recipient.length > MAX_ID_BYTES)
      throw new RangeError('a link token recipient id is 1-255 bytes');
    if (recipientId.includes('@'))
      throw new RangeError('a link token recipient id must be opaque, not an address');
    return new RecipientTokens(this.#keyId, this.#secret, this.#messageId, recipient, () =>
      this.#seals.subarray(0, this.#sealed),
    );
  }
}

/** One recipient's v2 tokens of one message: each tag is the link's seal, masked with the recipient's, enciphered. */
export class RecipientTokens {
  readonly #keyId: number;
  /** varint(message id length) | message id | varint(recipient id length) | recipient id. */
  readonly #ids: Buffer;
  readonly #secret: Buffer;
  readonly #mask: Buffer;
  readonly #seals: () => Buffer;

  constructor(keyId: number, secret: Buffer, messageId: Buffer, recipient: Buffer, seals: () => Buffer) {
    const ids = Buffer.allocUnsafe(2 * 2 + messageId.length + recipient.length);
    let at = writeVarint(ids, 0, messageId.length);
    at += messageId.copy(ids, at);
    at = writeVarint(ids, at, recipient.length);
    at += recipient.copy(ids, at);
    this.#ids = ids.subarray(0, at);
    this.#keyId = keyId;
    this.#secret = secret;
    this.#mask = recipientMask(secret, messageId, recipient);
    this.#seals = seals;
  }

  /** The tokens of `links` (sealed by this message's MessageSeals), in order: one AES call for all their tags. */
  tokens(links: readonly SealedLink[]): string[] {
    if (links.length === 0) return [];
    const seals = this.#seals();
    const mask = this.#mask;
    const input = Buffer.allocUnsafe(links.length * TAG_BYTES);
    for (let i = 0; i < links.length; i++) {
      const from = links[i]!.sealAt;
      const to = i * TAG_BYTES;
      for (let j = 0; j < TAG_BYTES; j++) input[to + j] = seals[from + j]! ^ mask[j]!;
    }
    const tags = encipher(this.#secret, input);
    const out: string[] = new Array<string>(links.length);
    const ids = this.#ids;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      const buffer = scratch;
      buffer[0] = VERSION;
      buffer[1] = this.#keyId;
      buffer[2] = KIND_BYTES[link.kind];
      let at = writeVarint(buffer, 3, link.linkIndex);
      at += ids.copy(buffer, at);
      at += link.url.copy(buffer, at);
      at += tags.copy(buffer, at, i * TAG_BYTES, (i + 1) * TAG_BYTES);
      out[i] = buffer.toString('base64url', 0, at);
    }
    return out;
  }
}

const EMPTY = Buffer.alloc(0);
const SEAL_LABEL = 0x00;
const RECIPIENT_LABEL = 0x01;
const CIPHER_LABEL = 0x02;

/**
 * The part of a seal's input shared by every link of a message, padded with zeros to whole hash blocks so the HMAC
 * state after it is computed once: version 2 | 0x00 | varint(message id length) | message id | zeros.
 */
function sealPrefix(messageId: Buffer): Buffer {
  const length = 2 + 2 + messageId.length;
  const prefix = Buffer.alloc(Math.ceil(length / 64) * 64);
  prefix[0] = VERSION;
  prefix[1] = SEAL_LABEL;
  const at = writeVarint(prefix, 2, messageId.length);
  messageId.copy(prefix, at);
  return prefix;
}

/** The rest of a seal's input, written at 0 of `into`: kind | varint(link index) | URL. */
function writeSealLink(into: Buffer, kind: number, linkIndex: number, url: Buffer): number {
  into[0] = kind;
  const at = writeVarint(into, 1, linkIndex);
  return at + url.copy(into, at);
}

/** HMAC(secret, 2 | 1 | varint(message id length) | message id | varint(recipient length) | recipient), 16 bytes. */
function recipientMask(secret: Buffer, messageId: Buffer, recipient: Buffer): Buffer {
  const input = Buffer.allocUnsafe(2 + 2 * 2 + messageId.length + recipient.length);
  input[0] = VERSION;
  input[1] = RECIPIENT_LABEL;
  let at = writeVarint(input, 2, messageId.length);
  at += messageId.copy(input, at);
  at = writeVarint(input, at, recipient.length);
  at += recipient.copy(input, at);
  const mask = Buffer.allocUnsafe(TAG_BYTES);
  macOf(secret).sign(input, 0, at, mask, 0, TAG_BYTES);
  return mask;
}

/**
 * One AES-256 context per secret, its key HMAC(secret, 2 | 2), made once: setting up a cipher costs more than
 * enciphering a few hundred blocks. ECB with no padding enciphers each 16-byte block on its own (FIPS 197, the block
 * cipher itself) and keeps no state between calls, so the context serves every call; `final` is never called.
 */
const ciphers = new WeakMap<Buffer, Cipheriv>();

/** AES-256 of each 16-byte block of `blocks` under the secret's cipher key. */
function encipher(secret: Buffer, blocks: Buffer): Buffer {
  let cipher = ciphers.get(secret);
  if (cipher === undefined) {
    const key = Buffer.allocUnsafe(32);
    macOf(secret).sign(Buffer.from([VERSION, CIPHER_LABEL]), 0, 2, key, 0, 32);
    cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    key.fill(0);
    ciphers.set(secret, cipher);
  }
  return cipher.update(blocks);
}

/** The claims of a token whose tag verifies under a key in the ring, or why it was refused. */
export function verifyLinkToken(keys: LinkTokenKeys, token: string): Result<VerifiedLink, LinkTokenProblem> {
  if (token.length === 0 || token.length > 2 * MAX_URL_BYTES || !/^[A-Za-z0-9_-]+$/.test(token))
    return err('malformed');
  const bytes = Buffer.from(token, 'base64url');
  // Base64url round trip: a token with trailing bits set or cut inside a character is not one we made.
  if (bytes.toString('base64url') !== token) return err('malformed');
  if (bytes.length < 3 + 3 + TAG_BYTES) return err('malformed');
  const version = bytes[0];
  if (version !== VERSION && version !== VERSION_1) return err('unsupported-version');
  const key = [keys.current, ...(keys.previous ?? [])].find((k) => k.id === bytes[1]);
  if (key === undefined) return err('unknown-key');
  const payload = bytes.subarray(0, bytes.length - TAG_BYTES);
  const given = bytes.subarray(payload.length);
  // v1 (tokens in mail sent before v2): the tag is the HMAC of every byte before it, checked before any field is
  // read. The reader still checks every length (a key may have leaked).
  if (version === VERSION_1 && !timingSafeEqual(tag(key.secret, payload), given)) return err('bad-tag');
  const reader = new Reader(payload, 3);
  const linkIndex = reader.varint();
  const messageId = reader.bytes(reader.varint());
  const recipientId = reader.bytes(reader.varint());
  const kind = KINDS[bytes[2]!];
  if (linkIndex === null || messageId === null || recipientId === null || kind === undefined)
    return err('malformed');
  if (messageId.length === 0 || recipientId.length === 0) return err('malformed');
  const url = payload.subarray(reader.at);
  if (version === VERSION) {
    // v2: the tag is recomputed from the fields (the header comment), so they are read first.
    const prefix = sealPrefix(messageId);
    const input = Buffer.concat([
      prefix,
      scratch.subarray(0, writeSealLink(scratch, bytes[2]!, linkIndex, url)),
    ]);
    const seal = Buffer.allocUnsafe(TAG_BYTES);
    macOf(key.secret).sign(input, 0, input.length, seal, 0, TAG_BYTES);
    const mask = recipientMask(key.secret, messageId, recipientId);
    for (let j = 0; j < TAG_BYTES; j++) seal[j]! ^= mask[j]!;
    const expected = encipher(key.secret, seal);
    if (!timingSafeEqual(expected, given)) return err('bad-tag');
  }
  return ok({
    keyId: key.id,
    kind,
    linkIndex,
    messageId: messageId.toString('utf8'),
    recipientId: recipientId.toString('utf8'),
    url: url.toString('utf8'),
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
