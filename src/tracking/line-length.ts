/**
 * The line-length rule of a rewritten 7bit/8bit part: a rewrite must not make a line longer than 998 octets
 * (RFC 5322 §2.1.1) where the part had none; such a part is left alone. Works on the part's latin1 text and the
 * edits' positions, with each edit's replacement length given, so a template can ask it for the longest tokens any
 * copy can have before any copy exists.
 */

export const MAX_LINE = 998;

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Whether a line the edits touch would be longer than MAX_LINE octets after them. Lines no edit touches keep their
 * length, so with `hasLongLine(text)` this tells whether the rewritten text has a long line the original had not.
 * Edits are in order and never overlap; a replacement holds no line break, so an edit whose original spans one
 * joins those lines.
 */
export function editsMakeLongLine<T extends Span>(
  text: string,
  edits: readonly T[],
  replacementLength: (edit: T, i: number) => number,
): boolean {
  let lineStart = -1;
  let lineEnd = -1;
  let growth = 0;
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i]!;
    if (edit.start > lineEnd || lineEnd < 0) {
      if (lineEnd >= 0 && lineEnd - lineStart + growth > MAX_LINE + 1) return true;
      lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
      growth = 0;
    }
    const next = text.indexOf('\n', edit.end);
    lineEnd = Math.max(lineEnd, next < 0 ? text.length : next);
    growth += replacementLength(edit, i) - (edit.end - edit.start);
  }
  return lineEnd >= 0 && lineEnd - lineStart + growth > MAX_LINE + 1;
}

/** Whether `text` has a line of over MAX_LINE octets (its line break not counted). */
export function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_LINE + 1) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}
