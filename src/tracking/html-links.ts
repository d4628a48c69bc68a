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

/** The attributes read of a link element: -1 when absent, -2 when present without a value ("<a href>"). */
const ABSENT = -1;
const NO_VALUE = -2;

/** Scans `html` for links; nothing in it throws, whatever the markup. */
export function scanHtml(html: string): HtmlScan {
  const found: HtmlScan = { links: [], baseHref: null, bodyClose: null };
  const scanner = new Scanner(html, found);
  // The document, then each conditional comment found in it (or in another one), each a document of its own.
  const pending: [number, number][] = [];
  scanner.run(0, html.length, false, pending);
  for (let next = pending.pop(); next !== undefined; next = pending.pop())
    scanner.run(next[0], next[1], true, pending);
  // Document order: a conditional comment's links were found after the rest of the document.
  found.links.sort((a, b) => a.start - b.start);
  return found;
}

/**
 * One htmlparser2 tokenizer over the document and then over each conditional comment (reset between them), with
 * callbacks that read as little as they can: most tags and attributes cost a few character comparisons and no
 * string. Offsets the tokenizer reports are relative to the range it was given (`from`).
 */
class Scanner implements TokenizerCallbacks {
  readonly #html: string;
  readonly #found: { links: HtmlLink[]; baseHref: string | null; bodyClose: number | null };
  readonly #tokenizer = new Tokenizer({ decodeEntities: false }, this);
  #text = '';
  #from = 0;
  #conditional = false;
  #comments: [number, number][] = [];
  /** The element whose attributes are read: "a", "area", "base", a VML name, or "" for any other. */
  #tagName = '';
  /** Which attribute the current one is (one of the fields below), or null for any other. */
  #attribute: 'href' | 'class' | 'notrack' | null = null;
  #valueStart = -1;
  #valueEnd = -1;
  #hrefStart = ABSENT;
  #hrefEnd = ABSENT;
  #classStart = ABSENT;
  #classEnd = ABSENT;
  #notrack = false;

  constructor(html: string, found: HtmlScan) {
    this.#html = html;
    this.#found = found;
  }

  run(from: number, to: number, conditional: boolean, comments: [number, number][]): void {
    this.#text = from === 0 && to === this.#html.length ? this.#html : this.#html.slice(from, to);
    this.#from = from;
    this.#conditional = conditional;
    this.#comments = comments;
    this.#tagName = '';
    this.#tokenizer.reset();
    this.#tokenizer.write(this.#text);
    this.#tokenizer.end();
  }

  onopentagname(start: number, end: number): void {
    const text = this.#text;
    const length = end - start;
    const first = text.charCodeAt(start) | 0x20;
    let name = '';
    if (length === 1 && first === 0x61) name = 'a';
    else if (length === 4 && (first === 0x61 || first === 0x62)) {
      const lower = text.slice(start, end).toLowerCase();
      if (lower === 'area' || lower === 'base') name = lower;
    } else if (this.#conditional && length > 2 && first === 0x76 && text.charCodeAt(start + 1) === 0x3a)
      name = text.slice(start, end).toLowerCase();
    this.#tagName = name;
    this.#attribute = null;
    this.#hrefStart = ABSENT;
    this.#classStart = ABSENT;
    this.#notrack = false;
  }

  onattribname(start: number, end: number): void {
    this.#valueStart = -1;
    this.#valueEnd = -1;
    this.#attribute = null;
    if (this.#tagName === '') return;
    const length = end - start;
    const text = this.#text;
    // Of a repeated attribute only the first counts (§13.2.5.33), so one already read is not read again.
    if (length === 4 && this.#hrefStart === ABSENT && matches(text, start, 'href')) this.#attribute = 'href';
    else if (length === 5 && this.#classStart === ABSENT && matches(text, start, 'class'))
      this.#attribute = 'class';
    else if (length === NOTRACK_ATTRIBUTE.length && matches(text, start, NOTRACK_ATTRIBUTE))
      this.#attribute = 'notrack';
  }

  onattribdata(start: number, end: number): void {
    if (this.#valueStart < 0) this.#valueStart = start;
    this.#valueEnd = end;
  }

  onattribend(): void {
    const attribute = this.#attribute;
    if (attribute === null) return;
    this.#attribute = null;
    // A value-less attribute ("<a href>") is an empty value: nothing to rewrite, but it still shadows a later one.
    const start = this.#valueStart < 0 ? NO_VALUE : this.#from + this.#valueStart;
    const end = this.#valueStart < 0 ? NO_VALUE : this.#from + this.#valueEnd;
    if (attribute === 'href') {
      this.#hrefStart = start;
      this.#hrefEnd = end;
    } else if (attribute === 'class') {
      this.#classStart = start;
      this.#classEnd = end;
    } else this.#notrack = true;
  }

  onopentagend(): void {
    this.#endTag();
  }

  onselfclosingtag(): void {
    this.#endTag();
  }

  #endTag(): void {
    const name = this.#tagName;
    this.#tagName = '';
    if (name === '' || this.#hrefStart < 0) return;
    const found = this.#found;
    if (name === 'base') {
      if (!this.#conditional && found.baseHref === null)
        found.baseHref = this.#html.slice(this.#hrefStart, this.#hrefEnd);
      return;
    }
    // "a", "area", or (only inside a conditional comment, where the name was read) a VML element.
    const notrack =
      this.#notrack ||
      (this.#classStart >= 0 && NOTRACK_CLASS.test(this.#html.slice(this.#classStart, this.#classEnd)));
    found.links.push({
      start: this.#hrefStart,
      end: this.#hrefEnd,
      element: name,
      conditional: this.#conditional,
      notrack,
    });
  }

  onclosetag(start: number, end: number): void {
    if (!this.#conditional && end - start === 4 && matches(this.#text, start, 'body'))
      this.#found.bodyClose = this.#from + this.#text.lastIndexOf('<', start);
  }

  oncomment(start: number, end: number, offset: number): void {
    const text = this.#text;
    // "[if" first: most comments are not conditional, and cost no string.
    if (text.charCodeAt(start) === 0x5b && CONDITIONAL.test(text.slice(start, Math.min(end, start + 64))))
      this.#comments.push([this.#from + start, this.#from + end - offset]);
  }

  oncdata(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  ontext(): void {}
  ontextentity(): void {}
  onattribentity(): void {}
  onend(): void {}
}

/** Whether `text` at `at` is `lower` (lower-case ASCII letters, digits and "-"), in any case. */
function matches(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = text.charCodeAt(at + i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
