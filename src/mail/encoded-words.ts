/**
 * RFC 2047 encoded-words (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) in text shown to people: unstructured
 * fields, phrases, attachment names. An encoded-word whose charset nobody knows, or whose data does not decode,
 * is left as written.
 */
import { charsetDecoder } from './charset.ts';
import { decodeQuotedPrintable } from './transfer-encoding.ts';

const ENCODED_WORD = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;

export function decodeEncodedWords(text: string): string {
  return (
    text
      // RFC 2047 §6.2: white space between two adjacent encoded-words is not shown.
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(ENCODED_WORD, (whole, charset: string, encoding: string, data: string) => {
        // RFC 2231 §5: a language may follow the charset (`utf-8*en`).
        const decoder = charsetDecoder(charset.replace(/\*.*$/, ''));
        if (decoder === null) return whole;
        // §4.1 B is base64; §4.2 Q is quoted-printable with "_" for a space.
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : decodeQuotedPrintable(data.replace(/_/g, ' '));
        return decoder.decode(bytes, true);
      })
  );
}
