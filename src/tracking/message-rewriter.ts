/**
 * Link rewriting of one message, bytes in and bytes out: every tracked link in its text/html and text/plain parts
 * becomes `https://<click host>/c/<token>`, and (when asked) an open pixel `https://<click host>/o/<token>` is put
 * before `</body>`. Only the bytes of each link's value change; the rest of each part, and every header and every
 * other part, stays byte for byte. A part in quoted-printable or base64 is decoded, rewritten and encoded again in
 * its own encoding (RFC 2045 §6.7, §6.8: lines of at most 76 characters).
 *
 * Parts are worked on as bytes (a latin1 string, one character per byte), so any ASCII-compatible charset passes
 * through untouched; a link value is decoded with the part's charset only to read its URL. Left alone, with a
 * note: parts in UTF-16/UTF-32, parts in an unknown transfer encoding, attachments, parts inside an embedded
 * message (message/rfc822: a forwarded message is someone else's, and it may carry its own DKIM signature), and
 * 7bit/8bit parts whose lines would pass 998 octets (RFC 5322 §2.1.1).
 *
 * A message to many recipients is worked on in two steps (`prepareRewrite`): what every copy shares once (the MIME
 * walk, the scan, the URL policy, the links' seals: link-token.ts), then each recipient's `copy` (its tokens spliced
 * in, and an encoded part encoded again). `rewriteMessage` is both, for one recipient.
 */
import {
  encodeBase64Bytes,
  encodeQuotedPrintableBytes,
  headerValue,
  isIdentityEncoding,
  MimeParser,
  type MimeEntity,
} from '../mail/index.ts';
import { listUnsubscribeUrls } from './link-policy.ts';
import { editsMakeLongLine, hasLongLine, MAX_LINE } from './line-length.ts';
import {
  MAX_ID_BYTES,
  MAX_URL_BYTES,
  MessageSeals,
  type LinkTokenKeys,
  type RecipientTokens,
  type SealedLink,
} from './link-token.ts';
import { findHoles, isRewritable, type Hole } from './part-holes.ts';

/** What a message's template needs: everything but the recipient. */
export interface TemplateOptions {
  /** The click host (normalised: lower case, A-labels), e.g. "clicks.example.com". */
  readonly clickHost: string;
  readonly keys: LinkTokenKeys;
  readonly messageId: string;
  /** Off by default. */
  readonly openPixel?: boolean;
  /** Rewrite links for click tracking; on by default (off: only the open pixel, when asked). */
  readonly clicks?: boolean;
}

export interface RewriteOptions extends TemplateOptions {
  /** Opaque: never the address. */
  readonly recipientId: string;
}

/** One change in a part's decoded body: `original` at [start, end) became `replacement`. */
export interface PartEdit {
  readonly start: number;
  readonly end: number;
  /** Raw bytes (latin1) as they were. */
  readonly original: string;
  readonly replacement: string;
  /** The URL a click leads to; null for the open pixel. */
  readonly url: string | null;
  readonly linkIndex: number | null;
  /** The element whose attribute changed ("a", "area", "v:roundrect", ...); null in plain text and for the pixel. */
  readonly element: string | null;
  /** Inside an Outlook conditional comment (where only Outlook follows it). */
  readonly conditional: boolean;
}

export interface RewrittenPart {
  /** The MIME part number ("" for a single-part message, then "1", "1.2", ...). */
  readonly partId: string;
  readonly mediaType: string;
  readonly transferEncoding: string;
  readonly edits: readonly PartEdit[];
}

export interface RewriteResult {
  readonly message: Buffer;
  readonly parts: readonly RewrittenPart[];
  /** Why a part was left alone. */
  readonly notes: readonly string[];
}

/** 7bit/8bit bodies are read from the message itself, so the parser hands out only encoded parts' bytes. */
const LIMITS = { maxHeaderBytes: 256 * 1024, maxDepth: 32, identityData: false };

/** One message's rewriting, all but the recipient: `copy` gives each recipient's message. */
export interface RewriteTemplate {
  /** The message with this recipient's tokens, as `rewriteMessage` gives it. */
  copy(recipientId: string): RewriteResult;
}

/** A part with what every copy of it shares: its decoded bytes, its holes and their seals. */
interface PartPlan {
  readonly entity: MimeEntity;
  readonly bodyEnd: number;
  readonly raw: Buffer;
  readonly decoded: Buffer;
  /** `decoded` as latin1, one character per byte. */
  readonly text: string;
  readonly holes: readonly Hole[];
  /** How many of the holes are clicks (each takes a link index). */
  readonly clicks: number;
  /** Links left alone for their length: a note each (up to the cap), in every copy. */
  readonly tooLong: number;
  /** The first link index, when every part before it is rewritten (the usual case). */
  firstIndex: number;
  /** The holes' seals at `firstIndex`; others are made on demand (see `sealsAt`). */
  readonly sealed: Map<number, SealedLink[]>;
  /** An 8bit/7bit part where some copy's tokens could make a line pass MAX_LINE (checked again per copy). */
  mayMakeLongLine: boolean;
}

interface Candidate {
  readonly entity: MimeEntity;
  readonly data: Buffer[];
  bodyEnd: number;
}

/** One copy's rewriting of `message` (rewriteMessage = prepareRewrite, then copy for one recipient). */
export function rewriteMessage(message: Buffer, options: RewriteOptions): RewriteResult {
  return prepareRewrite(message, options).copy(options.recipientId);
}

/**
 * Parses `message`, finds its links and seals them, once: what is the same for every recipient. Each `copy` then
 * costs one key derivation and one AES call for its tags, and the splicing (and re-encoding of a quoted-printable or
 * base64 part) of its tokens.
 */
export function prepareRewrite(message: Buffer, options: TemplateOptions): RewriteTemplate {
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  const open = new Map<MimeEntity, Candidate>();
  let listUnsubscribe: string | null = null;
  const parser = new MimeParser(LIMITS);
  const events = [...parser.write(message), ...parser.end()];
  for (const event of events) {
    if (event.type === 'stopped') {
      const stopped = [`not rewritten: ${event.problem.detail}`];
      return { copy: () => ({ message, parts: [], notes: [...stopped] }) };
    }
    if (event.type === 'entity') {
      if (event.entity.id === '')
        listUnsubscribe = headerValue(event.entity.headers, 'list-unsubscribe') ?? null;
      if (isRewritable(event.entity, notes)) {
        const candidate = { entity: event.entity, data: [], bodyEnd: -1 };
        open.set(event.entity, candidate);
        candidates.push(candidate);
      }
    } else if (event.type === 'data') open.get(event.entity)?.data.push(event.data);
    else {
      const candidate = open.get(event.entity);
      if (candidate !== undefined) candidate.bodyEnd = event.bodyEnd;
    }
  }
  const unsubscribe = listUnsubscribeUrls(listUnsubscribe);
  const plans = candidates.map((candidate) => planPart(message, candidate, options, unsubscribe));
  // Link indexes as they are when every part with a hole is rewritten; the seals are made at those.
  let seals: MessageSeals | null = null;
  let nextIndex = 0;
  for (const plan of plans) {
    if (plan.holes.length === 0) continue;
    // Made at the first hole, so a message with no link to track checks no ids.
    seals ??= new MessageSeals(options.keys, options.messageId);
    plan.firstIndex = nextIndex;
    plan.sealed.set(nextIndex, sealHoles(seals, plan, nextIndex));
    plan.mayMakeLongLine =
      isIdentityEncoding(plan.entity.transferEncoding) &&
      !hasLongLine(plan.text) &&
      editsMakeLongLine(plan.text, plan.holes, longestReplacements(plan, options));
    nextIndex += plan.clicks;
  }
  const context: CopyContext = { message, options, plans, notes, eol: lineBreakOf(message), seals };
  return { copy: (recipientId) => copyFor(context, recipientId) };
}

interface CopyContext {
  readonly message: Buffer;
  readonly options: TemplateOptions;
  readonly plans: readonly PartPlan[];
  /** The notes of the parse, before any part's. */
  readonly notes: readonly string[];
  readonly eol: string;
  readonly seals: MessageSeals | null;
}

function copyFor(context: CopyContext, recipientId: string): RewriteResult {
  const { message, options, seals } = context;
  const notes = [...context.notes];
  const parts: RewrittenPart[] = [];
  const pieces: Buffer[] = [];
  let tokens: RecipientTokens | null = null;
  let nextIndex = 0;
  let copied = 0;
  for (const plan of context.plans) {
    for (let i = 0; i < plan.tooLong; i++)
      if (notes.length < 20) notes.push(`a link of over ${MAX_URL_BYTES} bytes left alone`);
    if (plan.holes.length === 0 || seals === null) continue;
    tokens ??= seals.forRecipient(recipientId);
    const sealed = sealsAt(seals, plan, nextIndex);
    const strings = tokens.tokens(sealed);
    const edits = plan.holes.map((hole, i): PartEdit => {
      const link = sealed[i]!;
      const replacement =
        hole.url === null
          ? pixel(options.clickHost, strings[i]!)
          : `https://${options.clickHost}/c/${strings[i]}`;
      return {
        start: hole.start,
        end: hole.end,
        original: hole.original,
        replacement,
        url: hole.url,
        linkIndex: hole.url === null ? null : link.linkIndex,
        element: hole.element,
        conditional: hole.conditional,
      };
    });
    const { entity, bodyEnd } = plan;
    const partName = entity.id || '(message)';
    // A line that was already too long is the sender's; we only refuse to make one.
    if (plan.mayMakeLongLine && editsMakeLongLine(plan.text, edits, (edit) => edit.replacement.length)) {
      notes.push(`part ${partName} left alone: a rewritten line would pass ${MAX_LINE} octets`);
      continue;
    }
    nextIndex += plan.clicks;
    pieces.push(message.subarray(copied, entity.bodyStart), encodedBody(plan, edits, context));
    copied = bodyEnd;
    parts.push({
      partId: entity.id,
      mediaType: entity.type.mediaType,
      transferEncoding: entity.transferEncoding,
      edits,
    });
  }
  if (parts.length === 0) return { message, parts, notes };
  pieces.push(message.subarray(copied));
  return { message: Buffer.concat(pieces), parts, notes };
}

/** The part's body with `edits` applied, in its own transfer encoding again. */
function encodedBody(plan: PartPlan, edits: readonly PartEdit[], context: CopyContext): Buffer {
  const encoding = plan.entity.transferEncoding;
  const bytes = applyEdits(plan.decoded, edits);
  if (isIdentityEncoding(encoding)) return bytes;
  const body =
    encoding === 'base64'
      ? encodeBase64Bytes(bytes, context.eol)
      : encodeQuotedPrintableBytes(bytes, context.eol);
  // The line breaks that end the raw body but are not data: base64's, or a quoted-printable body's last one
  // when the input ended there (the parser keeps a final line break for a boundary that never came).
  const tail = trailingLineBreaks(plan.raw);
  if (encoding === 'base64') return tail === '' ? body : Buffer.concat([body, Buffer.from(tail, 'latin1')]);
  if (tail !== '' && plan.bodyEnd === context.message.length && body[body.length - 1] !== 0x0a)
    return Buffer.concat([body, Buffer.from(context.eol, 'latin1')]);
  return body;
}

/** The holes' seals with link indexes from `firstIndex` (a part before was left alone in some copy: fewer). */
function sealsAt(seals: MessageSeals, plan: PartPlan, firstIndex: number): SealedLink[] {
  let sealed = plan.sealed.get(firstIndex);
  if (sealed === undefined) {
    sealed = sealHoles(seals, plan, firstIndex);
    plan.sealed.set(firstIndex, sealed);
  }
  return sealed;
}

function sealHoles(seals: MessageSeals, plan: PartPlan, firstIndex: number): SealedLink[] {
  let index = firstIndex;
  return plan.holes.map((hole) =>
    hole.url === null ? seals.seal('open', 0, '') : seals.seal('click', index++, hole.url),
  );
}

/** The longest each hole's replacement can be in any copy: a recipient id of MAX_ID_BYTES. */
function longestReplacements(plan: PartPlan, options: TemplateOptions): (hole: Hole, i: number) => number {
  const sealed = plan.sealed.get(plan.firstIndex)!;
  const ids = 1 + Buffer.byteLength(options.messageId) + 2 + MAX_ID_BYTES;
  return (hole, i) => {
    const link = sealed[i]!;
    const bytes = 3 + varintLength(link.linkIndex) + ids + link.url.length + 16;
    const token = Math.ceil((bytes * 4) / 3);
    return hole.url === null
      ? pixel(options.clickHost, '').length + token
      : `https://${options.clickHost}/c/`.length + token;
  };
}

function varintLength(n: number): number {
  let length = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

function planPart(
  message: Buffer,
  candidate: Candidate,
  options: TemplateOptions,
  unsubscribe: Set<string>,
): PartPlan {
  const { entity, bodyEnd } = candidate;
  const raw = message.subarray(entity.bodyStart, bodyEnd);
  const decoded = isIdentityEncoding(entity.transferEncoding) ? raw : Buffer.concat(candidate.data);
  const text = decoded.toString('latin1');
  const found = findHoles(text, entity, options, unsubscribe);
  return {
    entity,
    bodyEnd,
    raw,
    decoded,
    text,
    holes: found.holes,
    clicks: found.holes.filter((hole) => hole.url !== null).length,
    tooLong: found.tooLong,
    firstIndex: 0,
    sealed: new Map(),
    mayMakeLongLine: false,
  };
}

function pixel(clickHost: string, token: string): string {
  const src = `https://${clickHost}/o/${token}`;
  return `<img src="${src}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
}

/** `bytes` with each edit's range replaced (replacements are latin1: one byte a character), in one buffer. */
function applyEdits(bytes: Buffer, edits: readonly PartEdit[]): Buffer {
  let length = bytes.length;
  for (const edit of edits) length += edit.replacement.length - (edit.end - edit.start);
  const out = Buffer.allocUnsafe(length);
  let from = 0;
  let at = 0;
  for (const edit of edits) {
    at += bytes.copy(out, at, from, edit.start);
    at += out.write(edit.replacement, at, 'latin1');
    from = edit.end;
  }
  bytes.copy(out, at, from);
  return out;
}

/** The line breaks (CRLF or LF, any number) that end `bytes`, as a latin1 string. */
function trailingLineBreaks(bytes: Buffer): string {
  let start = bytes.length;
  while (start > 0 && bytes[start - 1] === 0x0a) start -= start > 1 && bytes[start - 2] === 0x0d ? 2 : 1;
  return bytes.toString('latin1', start);
}

/** The line break the message uses: that of its first line. */
function lineBreakOf(message: Buffer): string {
  const lf = message.indexOf(0x0a);
  return lf > 0 && message[lf - 1] === 0x0d ? '\r\n' : '\n';
}
