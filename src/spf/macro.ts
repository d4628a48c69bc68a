import { err, ok, type Result } from '../core/index.ts';

/**
 * Macro strings (RFC 7208 §7): parsed once into tokens, expanded against a context per evaluation.
 *   macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
 */
export type MacroToken =
  | { readonly literal: string; readonly escaped?: true }
  | {
      readonly letter: string;
      /** Upper-case letter: the value is URL-escaped (RFC 7208 §7.3). */
      readonly escape: boolean;
      readonly digits: number | null;
      readonly reverse: boolean;
      readonly delimiters: string;
    };

const LETTERS = 'slodiphcrtv';
/** RFC 7208 §7.2: c, r and t are only allowed in "exp" text. */
const EXP_ONLY = 'crt';

/**
 * Parses a macro-string. `explain` allows spaces and the exp-only letters (explain-string, RFC 7208 §6.2).
 * Any other character outside %x21-7E (non-ASCII, control characters) is a syntax error (RFC 7208 §4.6.1, §7.1).
 */
export function parseMacroString(text: string, explain = false): Result<MacroToken[], string> {
  const tokens: MacroToken[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '%') {
      const code = ch.charCodeAt(0);
      if ((code >= 0x21 && code <= 0x7e) || (explain && code === 0x20)) {
        literal += ch;
        continue;
      }
      return err(`the character ${JSON.stringify(ch)} is not allowed in "${text}" (RFC 7208 §7.1)`);
    }
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      // By the grammar these are macro-expands, so they may end a domain-spec; keep them as their own tokens.
      if (literal !== '') tokens.push({ literal });
      literal = '';
      tokens.push({ literal: next === '%' ? '%' : next === '_' ? ' ' : '%20', escaped: true });
      i++;
      continue;
    }
    if (next !== '{') return err(`a "%" must be followed by {, %, _ or - in "${text}" (RFC 7208 §7.1)`);
    const close = text.indexOf('}', i);
    if (close < 0) return err(`an unclosed macro in "${text}"`);
    const m = /^([a-z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(text.slice(i + 2, close));
    if (m === null) return err(`the macro %{${text.slice(i + 2, close)}} is malformed (RFC 7208 §7.1)`);
    const letter = m[1]!.toLowerCase();
    if (!LETTERS.includes(letter)) return err(`%{${m[1]}} is not a macro letter (RFC 7208 §7.2)`);
    if (!explain && EXP_ONLY.includes(letter))
      return err(`%{${m[1]}} is only allowed in an exp= explanation (RFC 7208 §7.2)`);
    const digits = m[2] === '' ? null : Number(m[2]);
    if (digits === 0) return err(`%{${m[1]}0}: the number of parts must not be zero (RFC 7208 §7.3)`);
    if (literal !== '') tokens.push({ literal });
    literal = '';
    tokens.push({
      letter,
      escape: m[1] !== letter,
      digits,
      reverse: m[3] !== '',
      delimiters: m[4] === '' ? '.' : m[4]!,
    });
    i = close;
  }
  if (literal !== '') tokens.push({ literal });
  return ok(tokens);
}

const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/**
 * RFC 7208 §7.1: domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand.
 * So a literal domain needs at least two labels and a top label that is not all digits.
 */
export function parseDomainSpec(text: string): Result<MacroToken[], string> {
  const parsed = parseMacroString(text);
  if (!parsed.ok) return parsed;
  const last = parsed.value[parsed.value.length - 1];
  if (last === undefined) return err('the domain is empty');
  if (!('literal' in last) || last.escaped === true) return ok(parsed.value);
  const tail = last.literal.endsWith('.') ? last.literal.slice(0, -1) : last.literal;
  const dot = tail.lastIndexOf('.');
  if (dot < 0 || (dot === 0 && parsed.value.length === 1))
    return err(`"${text}" is not a domain name with at least two labels (RFC 7208 §7.1)`);
  if (!TOPLABEL.test(tail.slice(dot + 1)))
    return err(`"${text}" does not end in a valid top label (RFC 7208 §7.1)`);
  return ok(parsed.value);
}

export interface MacroValues {
  /** Values of the letters; `p` is asked for only when used, as it needs DNS lookups. */
  readonly values: Readonly<Record<string, string>>;
  readonly validatedName: () => Promise<string>;
}

/** Expands the tokens (RFC 7208 §7.3). */
export async function expandMacros(tokens: readonly MacroToken[], context: MacroValues): Promise<string> {
  let out = '';
  for (const token of tokens) {
    if ('literal' in token) {
      out += token.literal;
      continue;
    }
    const raw = token.letter === 'p' ? await context.validatedName() : (context.values[token.letter] ?? '');
    let parts = raw.split(new RegExp(`[${token.delimiters.replace(/[-\\\]^]/g, '\\$&')}]`));
    if (token.reverse) parts = parts.reverse();
    if (token.digits !== null && token.digits < parts.length)
      parts = parts.slice(parts.length - token.digits);
    const value = parts.join('.');
    out += token.escape ? escapeUri(value) : value;
  }
  return out;
}

/** RFC 7208 §7.3: upper-case macros are URL-escaped, keeping RFC 3986 unreserved characters. */
function escapeUri(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** RFC 7208 §7.3: an expanded domain over 253 characters loses labels from the left until it fits. */
export function truncateDomain(name: string): string {
  let n = name.endsWith('.') ? name.slice(0, -1) : name;
  while (n.length > 253) {
    const dot = n.indexOf('.');
    if (dot < 0) break;
    n = n.slice(dot + 1);
  }
  return n;
}
