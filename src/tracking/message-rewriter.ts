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
 */
import { decodeHTMLAttribute } from 'entities';
import {
  charsetDecoder,
  encodeBase64,
  encodeQuotedPrintable,
  headerValue,
  isIdentityEncoding,
  MimeParser,
  type MimeEntity,
} from '../mail/index.ts';
import { scanHtml } from './html-links.ts';
import { baseUrl, listUnsubscribeUrls, trackedUrl } from './link-policy.ts';
import { LinkTokenSigner, MAX_URL_BYTES, type LinkTokenKeys } from './link-token.ts';
import { scanText } from './text-links.ts';

export interface RewriteOptions {
  /** The click host (normalised: lower case, A-labels), e.g. "clicks.example.com". */
  readonly clickHost: string;
  readonly keys: LinkTokenKeys;
  readonly messageId: string;
  /** Opaque: never the address. */
  readonly recipientId: string;
  /** Off by default. */
  readonly openPixel?: boolean;
  /** Rewrite links for click tracking; on by default (off: only the open pixel, when asked). */
  readonly clicks?: boolean;
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

const LIMITS = { maxHeaderBytes: 256 * 1024, maxDepth: 32 };
const MAX_LINE = 998;
const WIDE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/i;

interface Candidate {
  readonly entity: MimeEntity;
  readonly data: Buffer[];
  bodyEnd: number;
}

export function rewriteMessage(message: Buffer, options: RewriteOptions): RewriteResult {
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  const open = new Map<MimeEntity, Candidate>();
  let listUnsubscribe: string | null = null;
  const parser = new MimeParser(LIMITS);
  const events = [...parser.write(message), ...parser.end()];
  for (const event of events) {
    if (event.type === 'stopped') {
      return { message, parts: [], notes: [`not rewritten: ${event.problem.detail}`] };
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
  const context: Context = {
    options,
    unsubscribe: listUnsubscribeUrls(listUnsubscribe),
    eol: lineBreakOf(message),
    nextIndex: 0,
    notes,
    signer: null,
  };
  const parts: RewrittenPart[] = [];
  const pieces: Buffer[] = [];
  let copied = 0;
  for (const candidate of candidates) {
    const { entity, bodyEnd } = candidate;
    const rewritten = rewritePart(message, candidate, context);
    if (rewritten === null) continue;
    pieces.push(message.subarray(copied, entity.bodyStart), rewritten.body);
    copied = bodyEnd;
    parts.push({
      partId: entity.id,
      mediaType: entity.type.mediaType,
      transferEncoding: entity.transferEncoding,
      edits: rewritten.edits,
    });
  }
  if (parts.length === 0) return { message, parts, notes };
  pieces.push(message.subarray(copied));
  return { message: Buffer.concat(pieces), parts, notes };
}

interface Context {
  readonly options: RewriteOptions;
  readonly unsubscribe: Set<string>;
  readonly eol: string;
  nextIndex: number;
  readonly notes: string[];
  /** Made at the first token, so a message with no link to track checks no ids (as before any link is signed). */
  signer: LinkTokenSigner | null;
}

function isRewritable(entity: MimeEntity, notes: string[]): boolean {
  if (entity.kind !== 'leaf') return false;
  const type = entity.type.mediaType;
  if (type !== 'text/html' && type !== 'text/plain') return false;
  const disposition = headerValue(entity.headers, 'content-disposition') ?? '';
  if (/^\s*attachment\b/i.test(disposition)) return false;
  for (let p = entity.parent; p !== null; p = p.parent) if (p.kind === 'message') return false;
  const charset = entity.type.params.charset ?? '';
  if (WIDE_CHARSET.test(charset)) {
    notes.push(
      `part ${entity.id || '(message)'} left alone: charset ${charset.slice(0, 30)} is not ASCII-based`,
    );
    return false;
  }
  const encoding = entity.transferEncoding;
  if (!isIdentityEncoding(encoding) && encoding !== 'base64' && encoding !== 'quoted-printable') {
    notes.push(`part ${entity.id || '(message)'} left alone: unknown transfer encoding`);
    return false;
  }
  return true;
}

function rewritePart(
  message: Buffer,
  candidate: Candidate,
  context: Context,
): { body: Buffer; edits: PartEdit[] } | null {
  const { entity, bodyEnd } = candidate;
  const raw = message.subarray(entity.bodyStart, bodyEnd);
  const encoding = entity.transferEncoding;
  const identity = isIdentityEncoding(encoding);
  const decoded = identity ? raw : Buffer.concat(candidate.data);
  const text = decoded.toString('latin1');
  const charset = entity.type.params.charset ?? 'utf-8';
  const decodeValue = valueDecoder(charset);
  const firstIndex = context.nextIndex;
  const edits =
    entity.type.mediaType === 'text/html'
      ? htmlEdits(text, decodeValue, context)
      : textEdits(text, decodeValue, context);
  if (edits.length === 0) {
    context.nextIndex = firstIndex;
    return null;
  }
  const partName = entity.id || '(message)';
  if (identity) {
    // A line that was already too long is the sender's; we only refuse to make one.
    if (editsMakeLongLine(text, edits) && !hasLongLine(text)) {
      context.notes.push(`part ${partName} left alone: a rewritten line would pass ${MAX_LINE} octets`);
      context.nextIndex = firstIndex;
      return null;
    }
    return { body: applyEdits(decoded, edits), edits };
  }
  const bytes = applyEdits(decoded, edits);
  let body =
    encoding === 'base64' ? encodeBase64(bytes, context.eol) : encodeQuotedPrintable(bytes, context.eol);
  // The line breaks that end the raw body but are not data: base64's, or a quoted-printable body's last one
  // when the input ended there (the parser keeps a final line break for a boundary that never came).
  const tail = trailingLineBreaks(raw);
  if (encoding === 'base64') body += tail;
  else if (tail !== '' && bodyEnd === message.length && !body.endsWith('\n')) body += context.eol;
  return { body: Buffer.from(body, 'latin1'), edits };
}

function htmlEdits(text: string, decodeValue: (raw: string) => string, context: Context): PartEdit[] {
  const scan = scanHtml(text);
  const base = scan.baseHref === null ? null : baseUrl(decodeValue(decodeHTMLAttribute(scan.baseHref)));
  const edits: PartEdit[] = [];
  for (const link of context.options.clicks === false ? [] : scan.links) {
    if (link.notrack) continue;
    const original = text.slice(link.start, link.end);
    const value = original.includes('&') ? decodeHTMLAttribute(original) : original;
    const url = trackedUrl(decodeValue(value), base, context.unsubscribe);
    if (url === null || tooLong(url, context)) continue;
    edits.push(clickEdit(link.start, link.end, original, url.href, context, link.element, link.conditional));
  }
  if (context.options.openPixel === true) {
    const at = scan.bodyClose ?? text.length;
    const replacement = pixel(context);
    // In document order, before any link that follows the last </body> (broken mail has them), so the edits apply
    // in one pass from start to end.
    let before = edits.length;
    while (before > 0 && edits[before - 1]!.start >= at) before--;
    edits.splice(before, 0, {
      start: at,
      end: at,
      original: '',
      replacement,
      url: null,
      linkIndex: null,
      element: null,
      conditional: false,
    });
  }
  return edits;
}

function textEdits(text: string, decodeValue: (raw: string) => string, context: Context): PartEdit[] {
  const edits: PartEdit[] = [];
  if (context.options.clicks === false) return edits;
  for (const link of scanText(text)) {
    const original = text.slice(link.start, link.end);
    const url = trackedUrl(decodeValue(original), null, context.unsubscribe);
    if (url !== null && !tooLong(url, context))
      edits.push(clickEdit(link.start, link.end, original, url.href, context, null, false));
  }
  return edits;
}

/** A URL too long for a token stays as it is (a note says so): the link still works, untracked. */
function tooLong(url: URL, context: Context): boolean {
  if (Buffer.byteLength(url.href) <= MAX_URL_BYTES) return false;
  if (context.notes.length < 20) context.notes.push(`a link of over ${MAX_URL_BYTES} bytes left alone`);
  return true;
}

function clickEdit(
  start: number,
  end: number,
  original: string,
  url: string,
  context: Context,
  element: string | null,
  conditional: boolean,
): PartEdit {
  const linkIndex = context.nextIndex++;
  const token = signerOf(context).sign('click', linkIndex, url);
  const replacement = `https://${context.options.clickHost}/c/${token}`;
  return { start, end, original, replacement, url, linkIndex, element, conditional };
}

function pixel(context: Context): string {
  const token = signerOf(context).sign('open', 0, '');
  const src = `https://${context.options.clickHost}/o/${token}`;
  return `<img src="${src}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
}

function signerOf(context: Context): LinkTokenSigner {
  const { options } = context;
  context.signer ??= new LinkTokenSigner(options.keys, options.messageId, options.recipientId);
  return context.signer;
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

/** Raw value bytes (latin1) to text in the part's charset; ASCII needs no decoding. */
function valueDecoder(charset: string): (raw: string) => string {
  return (raw) => {
    // eslint-disable-next-line no-control-regex
    if (/^[\x00-\x7f]*$/.test(raw)) return raw;
    const decoder = charsetDecoder(charset) ?? charsetDecoder('utf-8')!;
    return decoder.decode(Buffer.from(raw, 'latin1'), true);
  };
}

/**
 * Whether a line the edits touch would be longer than MAX_LINE octets after them. Lines no edit touches keep their
 * length, so with `hasLongLine(text)` this tells whether the rewritten text has a long line the original had not.
 * Edits are in order and never overlap; a replacement holds no line break, so an edit whose original spans one
 * joins those lines.
 */
function editsMakeLongLine(text: string, edits: readonly PartEdit[]): boolean {
  let lineStart = -1;
  let lineEnd = -1;
  let growth = 0;
  for (const edit of edits) {
    if (edit.start > lineEnd || lineEnd < 0) {
      if (lineEnd >= 0 && lineEnd - lineStart + growth > MAX_LINE + 1) return true;
      lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
      growth = 0;
    }
    const next = text.indexOf('\n', edit.end);
    lineEnd = Math.max(lineEnd, next < 0 ? text.length : next);
    growth += edit.replacement.length - (edit.end - edit.start);
  }
  return lineEnd >= 0 && lineEnd - lineStart + growth > MAX_LINE + 1;
}

function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_LINE + 1) return true;
    if (end < 0) return false;
    start = end + 1;
  }
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
