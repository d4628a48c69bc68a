/**
 * Finds bare http(s) URLs in a text/plain part (a latin1 string of its bytes, so ranges are byte ranges). Plain
 * text has no markup to tokenize; a URL runs from "http://" or "https://" to white space, a control, or one of
 * `<>"` (RFC 3986 Appendix C: URLs in text are delimited by white space or angle brackets or double quotes).
 * Sentence punctuation right after a URL is not part of it, and a closing ")" is only when the URL opened one.
 */

export interface TextLink {
  readonly start: number;
  readonly end: number;
}

// eslint-disable-next-line no-control-regex -- controls end a URL in text
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"\x00-\x1f\x7f]+/gi;
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", ']', '}', '*', '_']);

export function scanText(text: string): TextLink[] {
  const links: TextLink[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index;
    let end = start + match[0].length;
    for (;;) {
      const last = text[end - 1]!;
      if (TRAILING.has(last)) end--;
      else if (last === ')' && !hasOpenParenthesis(text, start, end - 1)) end--;
      else break;
    }
    // "http://" alone is no URL.
    if (text.slice(start, end).replace(/^https?:\/\//i, '') !== '') links.push({ start, end });
  }
  return links;
}

function hasOpenParenthesis(text: string, start: number, end: number): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
  }
  return depth > 0;
}
