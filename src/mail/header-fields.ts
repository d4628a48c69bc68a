/**
 * Header fields (RFC 5322 §2.2): splitting a header block into fields, the field-name rule, and unfolding. One
 * scanner serves two readings. `parseHeaderFields` refuses a block with any line that is not part of a field: the
 * gateway signs what it accepts, so it reads every byte the way a receiver will. `readHeaderFields` skips such
 * lines: reports arrive in damaged mail, and the rest of their header is still worth reading.
 */
import { err, ok, type Result } from '../core/index.ts';

/** One header field as it stands in the block. */
export interface HeaderField {
  /** The field name in lower case, for matching (field names are case-insensitive, RFC 5322 §1.2.2). */
  readonly name: string;
  /** The whole field: name, colon, body, any folding, and its final line break, exactly as in the block. */
  readonly raw: string;
}

/** Why a line is not part of a field; lines count from 1. */
export type HeaderFieldProblem =
  | { readonly problem: 'continuation-first'; readonly line: number }
  | { readonly problem: 'not-a-field'; readonly line: number };

/** RFC 5322 §3.6.8: a field name is one or more printable US-ASCII characters except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export function isFieldName(name: string): boolean {
  return FIELD_NAME.test(name);
}

/** Every line must be part of a field; line breaks are CRLF (or LF). */
export function parseHeaderFields(block: string): Result<HeaderField[], HeaderFieldProblem> {
  return splitFields(block, true, Infinity);
}

/** Lines that are not part of a field (and their continuations) are skipped; at most `maxFields` are read. */
export function readHeaderFields(block: string, maxFields = 1000): HeaderField[] {
  const read = splitFields(block, false, maxFields);
  return read.ok ? read.value : [];
}

/** The field body unfolded (RFC 5322 §2.2.3: every line break before WSP removed) and trimmed. */
export function fieldValue(field: HeaderField): string {
  return field.raw
    .slice(field.raw.indexOf(':') + 1)
    .replace(/\r?\n/g, '')
    .trim();
}

/** The unfolded value of the first field named `name` (lower case). */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  for (const f of fields) if (f.name === name) return fieldValue(f);
  return undefined;
}

/** The unfolded values of every field named `name` (lower case), in order. */
export function headerValues(fields: readonly HeaderField[], name: string): string[] {
  return fields.filter((f) => f.name === name).map(fieldValue);
}

const SP = 0x20;
const HTAB = 0x09;

function splitFields(
  block: string,
  strict: boolean,
  maxFields: number,
): Result<HeaderField[], HeaderFieldProblem> {
  const fields: HeaderField[] = [];
  let start = -1;
  let name = '';
  /** The first colon at or after the line being read (-1: none left); kept so each search is linear. */
  let colon = block.indexOf(':');
  const close = (end: number) => {
    if (start >= 0) fields.push({ name, raw: block.slice(start, end) });
    start = -1;
  };
  let line = 0;
  for (let at = 0; at < block.length;) {
    line++;
    const lf = block.indexOf('\n', at);
    const next = lf < 0 ? block.length : lf + 1;
    const first = block.charCodeAt(at);
    // RFC 5322 §2.2.3: a line that starts with WSP continues the field above it.
    if (first === SP || first === HTAB) {
      if (start < 0 && strict) return err({ problem: 'continuation-first', line });
      at = next;
      continue;
    }
    close(at);
    if (colon >= 0 && colon < at) colon = block.indexOf(':', at);
    const lineEnd = lf < 0 ? block.length : lf;
    // RFC 5322 §4.5 (obs-optional and the other obs- fields): WSP may stand between the name and the colon
    // (`Subject : hi`). It is not part of the name; relaxed DKIM canonicalisation deletes it too (RFC 6376 §3.4.2).
    const fieldName = colon < 0 || colon > lineEnd ? '' : block.slice(at, colon).replace(/[ \t]+$/, '');
    if (!FIELD_NAME.test(fieldName)) {
      if (strict) return err({ problem: 'not-a-field', line });
    } else {
      if (fields.length >= maxFields) return ok(fields);
      start = at;
      name = fieldName.toLowerCase();
    }
    at = next;
  }
  close(block.length);
  return ok(fields);
}
