/**
 * Structured MIME header fields: the media type and parameters of Content-Type (RFC 2045 §5.1), and the file name
 * of a part from Content-Disposition (RFC 2183) or Content-Type `name`, in RFC 2231 (`filename*`) or RFC 2047 form.
 */
import { decodeEncodedWords } from './encoded-words.ts';
import { headerValue, type HeaderField } from './header-fields.ts';

export interface MediaType {
  /** type/subtype, lower case. */
  readonly mediaType: string;
  /** Parameter names in lower case; the first of a repeated name counts. */
  readonly params: Readonly<Record<string, string>>;
}

/** RFC 2045 §5.1 token characters, for type and subtype. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** `type/subtype; a=b; c="d e"` → media type and parameters; `fallback` when the value is missing or invalid. */
export function parseMediaType(value: string | undefined, fallback: string): MediaType {
  if (value === undefined || value.trim() === '') return { mediaType: fallback, params: {} };
  const [head, params] = splitParameters(value);
  const mediaType = head.toLowerCase();
  return { mediaType: MEDIA_TYPE.test(mediaType) ? mediaType : fallback, params };
}

/** Splits `value; p1=v1; p2="v 2"` into its head and a parameter map (RFC 2045 §5.1 quoted-string values). */
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

/** The file name from Content-Disposition or Content-Type, decoded (RFC 2231 §4, RFC 2047); null if none. */
export function fileName(fields: readonly HeaderField[], type: MediaType): string | null {
  const disposition = headerValue(fields, 'content-disposition');
  const params = disposition === undefined ? {} : splitParameters(disposition)[1];
  const extended = params['filename*'] ?? type.params['name*'];
  if (extended !== undefined) {
    // RFC 2231 §4: charset'language'percent-encoded-octets.
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
