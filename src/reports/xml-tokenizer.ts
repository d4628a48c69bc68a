import { ReportRefusal } from './refusal.ts';

/**
 * A streaming, forgiving tokenizer for the XML that report generators write. It is not a general XML parser, on
 * purpose:
 * - It never processes a DTD, so no entity can expand and no external entity can be fetched (XXE, billion
 *   laughs): a `<!DOCTYPE` or `<!ENTITY` anywhere refuses the document. Only the five predefined entities and
 *   character references are decoded (XML 1.0 §4.6, §4.1).
 * - Every buffer it keeps has a limit (tag, text, comment, nesting depth), so memory stays bounded whatever the
 *   input, and a pathological input is refused with a reason rather than exhausting the process.
 * - It recovers the way real reports need: a `<` that cannot start a tag is text (`<bad@example.net>` inside an
 *   element, `bad<xml` in a domain), and an end tag closes any elements left open inside it. Each recovery is
 *   counted, so the caller can refuse a document that is more damage than report.
 * It hands its listener each element's name when it opens, and, when it closes, the text directly inside it.
 */
export interface XmlListener {
  open(name: string, attributes: string, depth: number): void;
  close(name: string, text: string, depth: number): void;
}

export interface XmlLimits {
  /** Longest tag, comment, CDATA section or processing instruction, in characters. */
  readonly maxTokenChars: number;
  /** Longest text directly inside one element; longer text is cut and counted as a recovery. */
  readonly maxTextChars: number;
  readonly maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxTokenChars: 64 * 1024,
  maxTextChars: 64 * 1024,
  maxDepth: 64,
};

const LT = 60;
const GT = 62;
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class XmlTokenizer {
  /** How many times the input had to be repaired (stray `<`, unmatched end tag, unknown entity, ...). */
  recoveries = 0;
  /** The first few repairs, for the quarantine or warning text. */
  readonly notes: string[] = [];
  #carry = '';
  #text = '';
  #textFull = false;
  readonly #stack: string[] = [];
  #rootClosed = false;
  #rootSeen = false;
  #endedInMarkup = false;
  readonly #listener: XmlListener;
  readonly #limits: XmlLimits;

  constructor(listener: XmlListener, limits: XmlLimits = DEFAULT_XML_LIMITS) {
    this.#listener = listener;
    this.#limits = limits;
  }

  get depth(): number {
    return this.#stack.length;
  }

  get rootClosed(): boolean {
    return this.#rootClosed;
  }

  /** False while a tag is cut between chunks (or the input ended inside one). */
  get carryEmpty(): boolean {
    return this.#carry.length === 0 && !this.#endedInMarkup;
  }

  get rootSeen(): boolean {
    return this.#rootSeen;
  }

  write(chunk: string): void {
    const s = this.#carry.length > 0 ? this.#carry + chunk : chunk;
    this.#carry = '';
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        this.#appendText(s, i, n);
        return;
      }
      if (lt > i) this.#appendText(s, i, lt);
      const next = this.#markup(s, lt);
      if (next < 0) {
        if (n - lt > this.#limits.maxTokenChars) {
          throw new ReportRefusal(
            'token_too_long',
            `markup of more than ${this.#limits.maxTokenChars} characters`,
          );
        }
        this.#carry = s.slice(lt);
        return;
      }
      i = next;
    }
  }

  /** Call after the last chunk. Returns false if the document ended inside markup or with elements open. */
  end(): boolean {
    if (this.#carry.length > 0) {
      this.#recover('the input ends inside a tag');
      this.#carry = '';
      this.#endedInMarkup = true;
      return false;
    }
    return this.#stack.length === 0 && this.#rootSeen;
  }

  /** Handles the markup starting at `lt`; returns the index after it, or -1 if it continues in the next chunk. */
  #markup(s: string, lt: number): number {
    const n = s.length;
    if (lt + 1 >= n) return -1;
    const c = s.charCodeAt(lt + 1);
    if (c === SLASH) {
      // Fast path: the end tag of the innermost open element, compared in place without a new string.
      const top = this.#stack[this.#stack.length - 1];
      if (top !== undefined && s.charCodeAt(lt + 2 + top.length) === GT && s.startsWith(top, lt + 2)) {
        this.#closeTag(top);
        return lt + 3 + top.length;
      }
      const gt = s.indexOf('>', lt + 2);
      if (gt < 0) return -1;
      this.#closeTag(s.slice(lt + 2, gt).trimEnd());
      return gt + 1;
    }
    if (c === BANG) return this.#declaration(s, lt);
    if (c === QUESTION) {
      const end = s.indexOf('?>', lt + 2);
      return end < 0 ? -1 : end + 2;
    }
    if (!isNameStart(c)) return this.#literalLessThan(lt, 'a "<" that starts no tag');
    let j = lt + 2;
    while (j < n && isNameChar(s.charCodeAt(j))) j++;
    if (j >= n) return -1;
    const after = s.charCodeAt(j);
    if (after === GT) {
      this.#openTag(s.slice(lt + 1, j), '', false);
      return j + 1;
    }
    if (after === SLASH) {
      if (j + 1 >= n) return -1;
      if (s.charCodeAt(j + 1) !== GT) return this.#literalLessThan(lt, 'a malformed empty-element tag');
      this.#openTag(s.slice(lt + 1, j), '', true);
      return j + 2;
    }
    if (!isSpace(after)) return this.#literalLessThan(lt, 'a tag name with a character names cannot have');
    const end = findTagEnd(s, j);
    if (end === -1) return -1;
    if (end === -2) return this.#literalLessThan(lt, 'a tag that never closes');
    const attributes = s.slice(j, end).trim();
    const selfClosing = attributes.endsWith('/');
    this.#openTag(s.slice(lt + 1, j), selfClosing ? attributes.slice(0, -1) : attributes, selfClosing);
    return end + 1;
  }

  #declaration(s: string, lt: number): number {
    if (s.length - lt < 4) return -1;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (s.length - lt < 9) return -1;
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      // Text is entity-decoded when its element closes; CDATA content must not be, so escape its ampersands.
      this.#appendRaw(s.slice(lt + 9, end).replaceAll('&', '&amp;'));
      return end + 3;
    }
    const word = s.slice(lt + 2, lt + 9).toUpperCase();
    if (/^(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATIO)/.test(word)) {
      throw new ReportRefusal('dtd_forbidden', `found <!${word.replace(/[^A-Z].*$/, '')}`);
    }
    const gt = s.indexOf('>', lt + 2);
    if (gt < 0) return -1;
    this.#recover('an unknown <! declaration');
    return gt + 1;
  }

  #literalLessThan(lt: number, why: string): number {
    this.#recover(why);
    this.#appendRaw('&lt;');
    return lt + 1;
  }

  #openTag(name: string, attributes: string, selfClosing: boolean): void {
    if (this.#rootClosed) {
      this.#recover('content after the root element');
      if (!selfClosing) this.#stack.push(name);
      return;
    }
    if (this.#stack.length >= this.#limits.maxDepth) {
      throw new ReportRefusal(
        'nesting_too_deep',
        `XML elements nested more than ${this.#limits.maxDepth} deep`,
      );
    }
    this.#rootSeen = true;
    this.#stack.push(name);
    this.#text = '';
    this.#textFull = false;
    this.#listener.open(name, attributes, this.#stack.length);
    if (selfClosing) this.#closeTag(name);
  }

  #closeTag(name: string): void {
    const stack = this.#stack;
    let at = stack.length - 1;
    if (stack[at] !== name) {
      at = stack.lastIndexOf(name);
      if (at < 0) {
        this.#recover(`an end tag </${name.slice(0, 40)}> that closes nothing`);
        return;
      }
      this.#recover(`</${name.slice(0, 40)}> closes elements left open`);
    }
    while (stack.length > at) {
      const depth = stack.length;
      const open = stack.pop()!;
      const text = decodeText(this.#text, this);
      this.#text = '';
      this.#textFull = false;
      if (this.#rootClosed) continue;
      this.#listener.close(open, text, depth);
      if (depth === 1) this.#rootClosed = true;
    }
  }

  #appendText(s: string, from: number, to: number): void {
    if (this.#stack.length === 0 || this.#textFull) return;
    if (this.#text.length + (to - from) > this.#limits.maxTextChars) {
      this.#textFull = true;
      this.#recover(`text longer than ${this.#limits.maxTextChars} characters was cut`);
      return;
    }
    this.#text += s.slice(from, to);
  }

  #appendRaw(text: string): void {
    if (this.#stack.length === 0 || this.#textFull) return;
    if (this.#text.length + text.length > this.#limits.maxTextChars) {
      this.#textFull = true;
      this.#recover(`text longer than ${this.#limits.maxTextChars} characters was cut`);
      return;
    }
    this.#text += text;
  }

  #recover(note: string): void {
    this.recoveries++;
    if (this.notes.length < 5) this.notes.push(note);
  }

  /** Called by the entity decoder. */
  unknownEntity(name: string): void {
    this.#recover(`an unknown entity &${name.slice(0, 20)};`);
  }
}

/**
 * The end of a start tag whose attributes begin at `from`: the index of its `>` outside quotes, -1 if the
 * chunk ends first, -2 if a `<` appears outside quotes (then the `<` we started at was not a tag).
 */
function findTagEnd(s: string, from: number): number {
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === GT) return i;
    else if (c === LT) return -2;
    else if (c === 34 || c === 39) quote = c;
  }
  return -1;
}

const ENTITY = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,31});/g;

/** Decodes the predefined entities and character references (XML 1.0 §4.1, §4.6); nothing else expands. */
export function decodeText(raw: string, tokenizer?: { unknownEntity(name: string): void }): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (whole, ref: string) => {
    if (ref.charCodeAt(0) === 35) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\ufffd';
    }
    const known = PREDEFINED[ref];
    if (known !== undefined) return known;
    tokenizer?.unknownEntity(ref);
    return whole;
  });
}
