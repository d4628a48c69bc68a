/**
 * What the rewriter changes in one part, found once per message: the holes (each tracked link's value, and the open
 * pixel's place), in document order, and how many links were left alone for their length. A link counts when a
 * browser would follow it (html-links.ts, text-links.ts) to a URL the policy tracks (link-policy.ts); which parts
 * are rewritten at all is `isRewritable`.
 */
import { decodeHTMLAttribute } from 'entities';
import { charsetDecoder, headerValue, isIdentityEncoding, type MimeEntity } from '../mail/index.ts';
import { scanHtml } from './html-links.ts';
import { baseUrl, trackedUrl } from './link-policy.ts';
import { MAX_URL_BYTES } from './link-token.ts';
import { scanText } from './text-links.ts';

/** What finding holes reads of the rewrite's options (message-rewriter.ts, TemplateOptions). */
export interface HoleOptions {
  readonly clicks?: boolean;
  readonly openPixel?: boolean;
}

const WIDE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/i;

/** One tracked link (or the open pixel: `url` null) of a part, found once per message. */
export interface Hole {
  readonly start: number;
  readonly end: number;
  readonly original: string;
  readonly url: string | null;
  readonly element: string | null;
  readonly conditional: boolean;
}

/** The holes of a text/html or text/plain part (`text`: its decoded bytes as latin1). */
export function findHoles(
  text: string,
  entity: MimeEntity,
  options: HoleOptions,
  unsubscribe: Set<string>,
): Found {
  const decodeValue = valueDecoder(entity.type.params.charset ?? 'utf-8');
  const found = { holes: [] as Hole[], tooLong: 0 };
  if (entity.type.mediaType === 'text/html') htmlHoles(text, decodeValue, options, unsubscribe, found);
  else if (options.clicks !== false) textHoles(text, decodeValue, unsubscribe, found);
  return found;
}

export function isRewritable(entity: MimeEntity, notes: string[]): boolean {
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

export interface Found {
  readonly holes: Hole[];
  tooLong: number;
}

function htmlHoles(
  text: string,
  decodeValue: (raw: string) => string,
  options: HoleOptions,
  unsubscribe: Set<string>,
  found: Found,
): void {
  const scan = scanHtml(text);
  const base = scan.baseHref === null ? null : baseUrl(decodeValue(decodeHTMLAttribute(scan.baseHref)));
  const holes = found.holes;
  for (const link of options.clicks === false ? [] : scan.links) {
    if (link.notrack) continue;
    const original = text.slice(link.start, link.end);
    const value = original.includes('&') ? decodeHTMLAttribute(original) : original;
    const url = trackedUrl(decodeValue(value), base, unsubscribe);
    if (url === null || tooLong(url, found)) continue;
    holes.push({
      start: link.start,
      end: link.end,
      original,
      url: url.href,
      element: link.element,
      conditional: link.conditional,
    });
  }
  if (options.openPixel === true) {
    const at = scan.bodyClose ?? text.length;
    // In document order, before any link that follows the last </body> (broken mail has them), so the edits apply
    // in one pass from start to end.
    let before = holes.length;
    while (before > 0 && holes[before - 1]!.start >= at) before--;
    holes.splice(before, 0, {
      start: at,
      end: at,
      original: '',
      url: null,
      element: null,
      conditional: false,
    });
  }
}

function textHoles(
  text: string,
  decodeValue: (raw: string) => string,
  unsubscribe: Set<string>,
  found: Found,
): void {
  for (const link of scanText(text)) {
    const original = text.slice(link.start, link.end);
    const url = trackedUrl(decodeValue(original), null, unsubscribe);
    if (url !== null && !tooLong(url, found))
      found.holes.push({
        start: link.start,
        end: link.end,
        original,
        url: url.href,
        element: null,
        conditional: false,
      });
  }
}

/** A URL too long for a token stays as it is (a note says so): the link still works, untracked. */
function tooLong(url: URL, found: Found): boolean {
  if (Buffer.byteLength(url.href) <= MAX_URL_BYTES) return false;
  found.tooLong++;
  return true;
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
