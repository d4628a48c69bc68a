/**
 * Finds the link attributes of an HTML document with htmlparser2's tokenizer, as exact index ranges of each raw
 * attribute value, so a rewriter can replace those characters and leave every other one as it was. The document
 * is a latin1 string of the part's bytes (one character per byte), so the ranges are byte ranges too.
 *
 * What counts, as a browser sees it (HTML Living Standard §4.6 "links", §13.2.5 tokenization):
 * - `<a href>` and `<area href>` (the elements of `document.links`); attribute names are case-insensitive, and
 *   of a repeated attribute only the first counts (§13.2.5.33 "duplicate-attribute" parse error).
 * - A tag cut off by the end of the document is no element (§13.2.5.32 "eof-in-tag"), and the tokenizer drops it.
 * - Text in `<script>`, `<style>`, `<title>` and `<textarea>` is not markup.
 * - Outlook's conditional comments (`<!--[if mso]>...<![endif]-->`) are comments to a browser but markup to
 *   Outlook: their content is scanned too, and there VML shapes (`<v:roundrect href>`, any `v:` element) are links.
 * - `<base href>`: the first one in the document (outside comments) is reported, for resolving relative links.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

export interface HtmlLink {
  /** Index of the first character of the raw attribute value (after any quote). */
  readonly start: number;
  /** Index just past its last character (before any closing quote). */
  readonly end: number;
  /** Lower-case element name: "a", "area", "v:roundrect", ... */
  readonly element: string;
  /** Inside an Outlook conditional comment: no browser follows it, Outlook does. */
  readonly conditional: boolean;
  /** Marked `data-senderd-notrack` or with the class `senderd-notrack`. */
  readonly notrack: boolean;
}

export interface HtmlScan {
  readonly links: HtmlLink[];
  /** The raw value of the first `<base href>`, or null. */
  readonly baseHref: string | null;
  /** Index of the "<" of the last `</body>`, or null when there is none. */
  readonly bodyClose: number | null;
}

const CONDITIONAL = /^\[if\s[^\]]*\]>/i;
const NOTRACK_ATTRIBUTE = 'data-senderd-notrack';
const NOTRACK_CLASS = /(?:^|[\t\n\f\r ])senderd-notrack(?:[\t\n\f\r ]|$)/;

interface Attribute {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Scans `html` for links; nothing in it throws, whatever the markup. */
export function scanHtml(html: string): HtmlScan {
  const found = {
    links: [] as HtmlLink[],
    baseHref: null as string | null,
    bodyClose: null as number | null,
  };
  scan(html, 0, html.length, false, found);
  // Document order: a conditional comment's links were found after the rest of the document.
  found.links.sort((a, b) => a.start - b.start);
  return found;
}

function scan(
  html: string,
  from: number,
  to: number,
  conditional: boolean,
  found: { links: HtmlLink[]; baseHref: string | null; bodyClose: number | null },
): void {
  const text = from === 0 && to === html.length ? html : html.slice(from, to);
  let tagName = '';
  let attributes: Attribute[] = [];
  let attributeName = '';
  let valueStart = -1;
  let valueEnd = -1;
  const comments: [number, number][] = [];

  const endTag = (): void => {
    const name = tagName;
    tagName = '';
    if (name === '') return;
    const href = attributes.find((a) => a.name === 'href');
    if (href === undefined || href.start < 0) return;
    if (name === 'base') {
      if (!conditional && found.baseHref === null) found.baseHref = html.slice(href.start, href.end);
      return;
    }
    const isLink = name === 'a' || name === 'area' || (conditional && name.startsWith('v:'));
    if (!isLink) return;
    const cls = attributes.find((a) => a.name === 'class');
    const notrack =
      attributes.some((a) => a.name === NOTRACK_ATTRIBUTE) ||
      (cls !== undefined && NOTRACK_CLASS.test(html.slice(cls.start, cls.end)));
    found.links.push({ start: href.start, end: href.end, element: name, conditional, notrack });
  };

  const callbacks: TokenizerCallbacks = {
    // Names are only read for the few elements and attributes that matter: most tags cost no string at all.
    onopentagname(start, end) {
      const length = end - start;
      const vml =
        conditional && length > 2 && (text.charCodeAt(start) | 0x20) === 0x76 && text[start + 1] === ':';
      tagName = length === 1 || length === 4 || vml ? text.slice(start, end).toLowerCase() : '';
      if (attributes.length > 0) attributes = [];
    },
    onattribname(start, end) {
      const length = end - start;
      const wanted = tagName !== '' && (length === 4 || length === 5 || length === NOTRACK_ATTRIBUTE.length);
      attributeName = wanted ? text.slice(start, end).toLowerCase() : '';
      valueStart = -1;
      valueEnd = -1;
    },
    onattribdata(start, end) {
      if (valueStart < 0) valueStart = start;
      valueEnd = end;
    },
    onattribentity() {},
    onattribend() {
      if (attributeName === '') return;
      // A value-less attribute ("<a href>") is an empty value: nothing to rewrite, but it still shadows a later one.
      const start = valueStart < 0 ? -1 : from + valueStart;
      if (!attributes.some((a) => a.name === attributeName))
        attributes.push({ name: attributeName, start, end: start < 0 ? -1 : from + valueEnd });
    },
    onopentagend: endTag,
    onselfclosingtag: endTag,
    onclosetag(start, end) {
      if (!conditional && end - start === 4 && text.slice(start, end).toLowerCase() === 'body')
        found.bodyClose = from + text.lastIndexOf('<', start);
    },
    oncomment(start, end, offset) {
      if (CONDITIONAL.test(text.slice(start, Math.min(end, start + 64))))
        comments.push([start, end - offset]);
    },
    oncdata() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    ontext() {},
    ontextentity() {},
    onend() {},
  };
  const tokenizer = new Tokenizer({ decodeEntities: false }, callbacks);
  tokenizer.write(text);
  tokenizer.end();
  for (const [start, end] of comments) scan(html, from + start, from + end, true, found);
}
