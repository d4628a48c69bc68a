/**
 * A strict parser for a field body holding exactly one mailbox (pure), as an author's From must be. RFC 5322 §3.4:
 *
 *   mailbox    = name-addr / addr-spec            name-addr = [display-name] angle-addr
 *   angle-addr = [CFWS] "<" addr-spec ">" [CFWS]  display-name = phrase (words: atoms or quoted-strings)
 *   addr-spec  = local-part "@" domain            local-part = dot-atom / quoted-string; domain = dot-atom
 *
 * Comments and folding white space (CFWS) are allowed where the grammar allows them. Refused, because a lenient
 * reading of them lets a verifier and a mail reader disagree on the author (and a domain get signed for a mailbox
 * the reader shows as someone else's): source routes (obs-angle-addr, RFC 5322 §4.4), groups, lists, text left
 * over after the mailbox, `@` or `<` in an unquoted display name, CFWS inside a dot-atom (obs-local-part,
 * obs-domain) and domain literals (a signature needs a domain name). `.` in a display name (obs-phrase, RFC 5322
 * §4.1: "John Q. Public") is accepted, as every mail reader does. The field is US-ASCII only: RFC 6532 UTF-8
 * headers need SMTPUTF8, which senderd does not offer; non-ASCII names arrive as RFC 2047 encoded-words, which
 * are atoms here. A problem is said in words that end "at character N"; the gateway sends them in its reply.
 */
import { err, ok, type Result } from '../core/index.ts';

export interface Mailbox {
  /** The display name as written (quotes and encoded-words kept), '' when there is none. */
  readonly displayName: string;
  /** The local part as written: a dot-atom, or a quoted-string with its quotes. */
  readonly localPart: string;
  /** The domain as written (a dot-atom, not yet normalised). */
  readonly domain: string;
}

/** RFC 5322 §3.2.3 atext. */
const ATEXT = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/;
/** RFC 5322 §3.2.1 VCHAR and WSP, what a quoted-pair may quote. */
const QUOTABLE = /[\x21-\x7e \t]/;

/** A word of a phrase or local part; `spaced` when CFWS came before it. */
type Word = ({ readonly kind: 'atom' | 'quoted'; readonly text: string } | { readonly kind: 'dot' }) & {
  readonly spaced: boolean;
};

class Scanner {
  readonly s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }
  /** The character at the position ('' at the end); a method, so TypeScript does not narrow it across moves. */
  c(): string {
    return this.s[this.i] ?? '';
  }
  get done(): boolean {
    return this.i >= this.s.length;
  }
  fail(problem: string): Result<never, string> {
    return err(`${problem} at character ${this.i + 1}`);
  }
  /** Skips CFWS (RFC 5322 §3.2.2): white space and comments, which nest and may hold quoted-pairs. */
  skipCfws(): Result<void, string> {
    for (;;) {
      if (this.c() === ' ' || this.c() === '\t' || this.c() === '\r' || this.c() === '\n') this.i++;
      else if (this.c() === '(') {
        const start = this.i;
        let depth = 0;
        do {
          const c = this.c();
          if (this.done) {
            this.i = start;
            return this.fail('an unclosed comment "("');
          }
          if (c === '\\') this.i++;
          else if (c === '(') depth++;
          else if (c === ')') depth--;
          this.i++;
        } while (depth > 0);
      } else return ok(undefined);
    }
  }
  atom(): string {
    const start = this.i;
    while (ATEXT.test(this.c())) this.i++;
    return this.s.slice(start, this.i);
  }
  /** A quoted-string (RFC 5322 §3.2.4), quotes included; the scanner stands on the opening quote. */
  quoted(): Result<string, string> {
    const start = this.i++;
    for (;;) {
      const c = this.c();
      if (this.done) {
        this.i = start;
        return this.fail('an unclosed quoted string');
      }
      if (c === '"') break;
      if (c === '\\') {
        this.i++;
        if (!QUOTABLE.test(this.c())) return this.fail('a backslash quoting nothing printable');
      } else if (c.charCodeAt(0) > 0x7e || (c < ' ' && c !== '\t' && c !== '\r' && c !== '\n'))
        return this.fail('a control or non-ASCII character in a quoted string');
      this.i++;
    }
    this.i++;
    return ok(this.s.slice(start, this.i));
  }
}

/** Parses a From field body (unfolded or not) as exactly one mailbox, or says what is wrong and where. */
export function parseMailbox(body: string): Result<Mailbox, string> {
  const s = new Scanner(body);
  const phraseStart = s.i;
  // Words (the display name, or the local part of a bare addr-spec) up to "<", "@" or something else.
  const read = readWords(s, true);
  if (!read.ok) return read;
  const words = read.value;
  let displayName = '';
  let address: Result<{ localPart: string; domain: string }, string>;
  if (s.c() === '<') {
    if (words[0]?.kind === 'dot') return err('the display name starts with "."');
    displayName = body.slice(phraseStart, s.i).trim();
    s.i++;
    // RFC 5322 §4.4 obs-route: "<@relay:user@domain>" names a route, not the author; refused.
    const skipped = s.skipCfws();
    if (!skipped.ok) return skipped;
    if (s.c() === '@')
      return s.fail('a source route ("<@host:...>", obsolete syntax of RFC 5322 section 4.4)');
    address = addrSpec(s, []);
    if (!address.ok) return address;
    if (s.c() !== '>')
      return s.fail(s.done ? 'a missing ">"' : `"${s.c()}" where ">" should close the address`);
    s.i++;
  } else if (s.c() === '@') {
    address = addrSpec(s, words);
    if (!address.ok) return address;
  } else if (s.done) {
    return err(words.length === 0 ? 'no address' : 'a name but no address');
  } else return s.fail(unexpected(s.c()));
  const skipped = s.skipCfws();
  if (!skipped.ok) return skipped;
  if (!s.done) return s.fail(`${unexpected(s.c())} after the address`);
  return ok({ displayName, ...address.value });
}

/** Atoms, quoted strings and dots, with CFWS between them when `cfws` (a phrase) or none (a dot-atom). */
function readWords(s: Scanner, cfws: boolean): Result<Word[], string> {
  const words: Word[] = [];
  for (;;) {
    const at = s.i;
    if (cfws) {
      const skipped = s.skipCfws();
      if (!skipped.ok) return skipped;
    }
    const spaced = s.i > at;
    if (s.c() === '"') {
      const q = s.quoted();
      if (!q.ok) return q;
      words.push({ kind: 'quoted', text: q.value, spaced });
    } else if (s.c() === '.') {
      s.i++;
      words.push({ kind: 'dot', spaced });
    } else if (ATEXT.test(s.c())) words.push({ kind: 'atom', text: s.atom(), spaced });
    else return ok(words);
  }
}

/** local-part "@" domain; `words` holds the local part when it was read before the "@" was seen. */
function addrSpec(s: Scanner, given: readonly Word[]): Result<{ localPart: string; domain: string }, string> {
  let words = given;
  if (words.length === 0) {
    const read = readWords(s, false);
    if (!read.ok) return read;
    words = read.value;
    const skipped = s.skipCfws();
    if (!skipped.ok) return skipped;
  }
  const localPart = localPartOf(words);
  if (localPart === null)
    return s.fail(
      words.length === 0
        ? 'an empty local part'
        : 'a local part that is neither a dot-atom (no spaces or comments inside) nor one quoted string',
    );
  if (s.c() !== '@')
    return s.fail(s.done ? 'a missing "@domain"' : `${unexpected(s.c())} where "@" should be`);
  s.i++;
  const skipped = s.skipCfws();
  if (!skipped.ok) return skipped;
  if (s.c() === '[') return s.fail('a domain literal ("[...]"); the author domain must be a name');
  const start = s.i;
  while (ATEXT.test(s.c()) || s.c() === '.') s.i++;
  const domain = s.s.slice(start, s.i);
  if (!/^[^.]+(?:\.[^.]+)*$/.test(domain)) {
    s.i = start;
    return s.fail(domain === '' ? 'a missing domain' : 'a domain that is not a dot-atom');
  }
  const after = s.skipCfws();
  if (!after.ok) return after;
  return ok({ localPart, domain });
}

/** A dot-atom-text (atoms joined by single dots, nothing between them) or exactly one quoted string. */
function localPartOf(words: readonly Word[]): string | null {
  const [first] = words;
  if (words.length === 1 && first?.kind === 'quoted') return first.text;
  let text = '';
  for (const [i, w] of words.entries()) {
    // RFC 5322 §3.2.3: nothing between the atoms and dots of a dot-atom (obs-local-part would allow CFWS).
    if ((w.kind === 'dot') !== (i % 2 === 1) || w.kind === 'quoted' || (i > 0 && w.spaced)) return null;
    text += w.kind === 'dot' ? '.' : w.text;
  }
  return words.length % 2 === 1 ? text : null;
}

function unexpected(c: string): string {
  switch (c) {
    case ',':
      return 'a "," (a list of mailboxes; the gateway signs for exactly one author)';
    case ':':
    case ';':
      return `a "${c}" (a group, RFC 5322 section 3.4; the gateway signs for exactly one author)`;
    case '<':
      return 'a second "<"';
    case '@':
      return 'a second "@"';
    default:
      return c.charCodeAt(0) < 0x21 || c.charCodeAt(0) > 0x7e
        ? `the character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`
        : `"${c}"`;
  }
}
