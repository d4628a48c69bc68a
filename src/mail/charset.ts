/**
 * Bytes to text for a charset label (RFC 2045 §5.1 `charset=`, RFC 2047 encoded-words, an XML declaration), by
 * the WHATWG Encoding Standard's label table. Invalid bytes become U+FFFD rather than an error: real mail carries
 * them (a Latin-1 name in a UTF-8 part), and the rest of the text is still good.
 */

/** A decoder that may be fed in pieces; `final` ends the text (a sequence cut at the end becomes U+FFFD). */
export interface TextDecoding {
  decode(bytes: Uint8Array, final: boolean): string;
}

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

function windows1252(): TextDecoding {
  return {
    decode(bytes) {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      return text.replace(C1, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
    },
  };
}

/** A streaming decoder for `label` (any case), or null when no encoding has that label. */
export function charsetDecoder(label: string): TextDecoding | null {
  if (WINDOWS_1252_LABELS.has(label.trim().toLowerCase())) return windows1252();
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
  } catch {
    return null;
  }
  return { decode: (bytes, final) => decoder.decode(bytes, { stream: !final }) };
}
