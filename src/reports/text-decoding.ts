/**
 * Bytes to text for XML documents, streaming. The encoding comes from the byte order mark or the XML declaration
 * (XML 1.0 Appendix F); without either it is UTF-8. Invalid bytes become U+FFFD rather than an error, because
 * real reports carry them (a Latin-1 name in a UTF-8 file) and the rest of the report is still good.
 */

// WHATWG Encoding: the labels latin1, iso-8859-1, us-ascii and cp1252 all mean windows-1252. Node's TextDecoder
// decodes them as ISO-8859-1 (0x80-0x9F as C1 controls), so that range is mapped here.
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];
const WINDOWS_1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'latin1',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'l1',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
]);
const C1 = /[\u0080-\u009f]/g;

interface Decoder {
  decode(bytes: Uint8Array, final: boolean): string;
}

function windows1252(): Decoder {
  return {
    decode(bytes) {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      return text.replace(C1, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
    },
  };
}

function textDecoder(label: string): Decoder | null {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
  } catch {
    return null;
  }
  return { decode: (bytes, final) => decoder.decode(bytes, { stream: !final }) };
}

/** How many bytes are enough to see a BOM and an XML declaration. */
const SNIFF_BYTES = 256;

export class XmlTextDecoder {
  /** The encoding in use once known, for the report's notes. */
  encoding: string | null = null;
  /** Set when the declared encoding is unknown and UTF-8 was used instead. */
  fallback: string | null = null;
  #decoder: Decoder | null = null;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  decode(bytes: Uint8Array): string {
    if (this.#decoder !== null) return this.#decoder.decode(bytes, false);
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes < SNIFF_BYTES) return '';
    return this.#start(false);
  }

  end(): string {
    if (this.#decoder === null) return this.#start(true);
    return this.#decoder.decode(new Uint8Array(0), true);
  }

  #start(final: boolean): string {
    const head = Buffer.concat(this.#pending);
    this.#pending = [];
    const label = sniffEncoding(head);
    this.encoding = label;
    this.#decoder = WINDOWS_1252_LABELS.has(label) ? windows1252() : textDecoder(label);
    if (this.#decoder === null) {
      this.fallback = label;
      this.encoding = 'utf-8';
      this.#decoder = textDecoder('utf-8')!;
    }
    return this.#decoder.decode(head, final);
  }
}

/** The encoding label from a BOM or the XML declaration, lower-cased; utf-8 if neither says. */
export function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // "<?" in UTF-16 without a BOM (XML 1.0 Appendix F.1).
  if (head[0] === 0x3c && head[1] === 0x00 && head[2] === 0x3f) return 'utf-16le';
  if (head[0] === 0x00 && head[1] === 0x3c && head[2] === 0x00) return 'utf-16be';
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, SNIFF_BYTES)).toString(
    'latin1',
  );
  const declaration = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(text);
  return declaration ? declaration[1]!.toLowerCase() : 'utf-8';
}
