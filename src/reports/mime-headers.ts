/**
 * Header fields of a message or a MIME part: unfolding (RFC 5322 §2.2.3), Content-Type and Content-Disposition
 * parameters (RFC 2045 §5.1, RFC 2183, RFC 2231 §3-4 for `filename*`), and RFC 2047 encoded words where we show
 * text to people.
 */

export interface HeaderFields {
  /** Field names in lower case, values unfolded and trimmed, in order. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

export interface MediaType {
  /** type/subtype, lower case. */
  readonly mediaType: string;
  readonly params: Readonly<Record<string, string>>;
}

export function headerValue(headers: HeaderFields, name: string): string | undefined {
  for (const [n, v] of headers.fields) if (n === name) return v;
  return undefined;
}

export function headerValues(headers: HeaderFields, name: string): string[] {
  return headers.fields.filter(([n]) => n === name).map(([, v]) => v);
}

/** Parses a header block (the bytes before the empty line) into fields. */
export function parseHeaderBlock(block: string, maxFields = 1000): HeaderFields {
  const fields: Array<[string, string]> = [];
  let current: [string, string] | null = null;
  for (const rawLine of block.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    const first = line.charCodeAt(0);
    if ((first === 32 || first === 9) && current !== null) {
      current[1] += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (fields.length >= maxFields) break;
    current = [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1)];
    fields.push(current);
  }
  for (const f of fields) f[1] = f[1].trim();
  return { fields };
}

/** `type/subtype; a=b; c="d e"` → media type and parameters (names lower-cased). */
export function parseMediaType(value: string | undefined, fallback: string): MediaType {
  if (value === undefined || value.trim() === '') return { mediaType: fallback, params: {} };
  const [head, params] = splitParameters(value);
  const mediaType = head.toLowerCase();
  return {
    mediaType: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType) ? mediaType : fallback,
    params,
  };
}

/** Splits `value; p1=v1; p2="v 2"` into its head and a parameter map. */
export function splitParameters(value: string): [string, Record<string, string>] {
  const params: Record<string, string> = {};
  const semicolon = value.indexOf(';');
  const head = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  if (semicolon < 0) return [head, params];
  const re = /;\s*([^\s=;]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const name = m[1]!.toLowerCase();
    const v = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!.trim();
    if (!(name in params)) params[name] = v;
  }
  return [head, params];
}

/** The file name from Content-Disposition or Content-Type, decoded (RFC 2231, RFC 2047). */
export function fileName(headers: HeaderFields, type: MediaType): string | null {
  const disposition = headerValue(headers, 'content-disposition');
  const params = disposition === undefined ? {} : splitParameters(disposition)[1];
  const extended = params['filename*'] ?? type.params['name*'];
  if (extended !== undefined) {
    const m = /^([^']*)'[^']*'(.*)$/.exec(extended);
    if (m) {
      try {
        return decodeURIComponent(m[2]!);
      } catch {
        return m[2]!;
      }
    }
  }
  const plain = params.filename ?? type.params.name;
  return plain === undefined ? null : decodeEncodedWords(plain);
}

/** RFC 2047 encoded words (`=?utf-8?B?...?=`), for display only. Unknown charsets are left as written. */
export function decodeEncodedWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g,
      (whole, charset: string, encoding: string, data: string) => {
        try {
          const bytes =
            encoding.toUpperCase() === 'B'
              ? Buffer.from(data, 'base64')
              : Buffer.from(
                  data
                    .replace(/_/g, ' ')
                    .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
                  'latin1',
                );
          return new TextDecoder(charset.replace(/\*.*$/, '')).decode(bytes);
        } catch {
          return whole;
        }
      },
    );
}

/** The domain of the first address in an address header, lower case. */
export function addressDomain(value: string | undefined): string | null {
  if (value === undefined) return null;
  const m = /@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)\s*>?/.exec(value);
  return m ? m[1]!.toLowerCase() : null;
}
