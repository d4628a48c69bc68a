/**
 * Bytes to text for XML documents, streaming. The encoding comes from the byte order mark or the XML declaration
 * (XML 1.0 Appendix F); without either it is UTF-8. The label becomes a decoder through mail/'s charset table, so
 * invalid bytes become U+FFFD rather than an error: real reports carry them (a Latin-1 name in a UTF-8 file) and
 * the rest of the report is still good.
 */
import { charsetDecoder, type TextDecoding } from '../mail/index.ts';

/** How many bytes are enough to see a BOM and an XML declaration. */
const SNIFF_BYTES = 256;

export class XmlTextDecoder {
  /** The encoding in use once known, for the report's notes. */
  encoding: string | null = null;
  /** Set when the declared encoding is unknown and UTF-8 was used instead. */
  fallback: string | null = null;
  #decoder: TextDecoding | null = null;
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
    this.#decoder = charsetDecoder(label);
    if (this.#decoder === null) {
      this.fallback = label;
      this.encoding = 'utf-8';
      this.#decoder = charsetDecoder('utf-8')!;
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
