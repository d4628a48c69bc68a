/**
 * A TXT record's text as character-strings of at most 255 octets each (RFC 1035 §3.3.14). Receivers join
 * them with nothing in between (RFC 7208 §3.3, RFC 6376 §3.6.2.2), so the split may fall anywhere.
 */
export function splitTxtStrings(text: string, max = 255): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return [''];
  const out: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + max, bytes.length);
    // Never cut a UTF-8 sequence in two: back off to a lead byte.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    out.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return out;
}

/** A character-string in zone-file presentation form: quoted, with `"` and `\` escaped (RFC 1035 §5.1). */
export function quoteTxtString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => `\\${c}`) + '"';
}
