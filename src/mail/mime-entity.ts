/**
 * What a MIME entity is, read from its header: its media type (RFC 2045 §5.1, with the default of its context,
 * RFC 2046 §5.1.5), its transfer encoding (RFC 2045 §6), its file name, and whether it is a multipart with a
 * boundary, an embedded message to walk into, or a leaf whose body is data.
 */
import { readHeaderFields, headerValue, type HeaderField } from './header-fields.ts';
import { fileName, parseMediaType, type MediaType } from './mime-parameters.ts';
import { isIdentityEncoding } from './transfer-encoding.ts';

export interface MimeEntity {
  /** "" for the message itself, then "1", "1.2", ... (the part numbers of IMAP, RFC 3501 §6.4.5). */
  readonly id: string;
  readonly depth: number;
  readonly headers: readonly HeaderField[];
  readonly type: MediaType;
  /** Content-Transfer-Encoding, lower case; '' when there is none. */
  readonly transferEncoding: string;
  readonly fileName: string | null;
  readonly kind: 'multipart' | 'message' | 'leaf';
  readonly parent: MimeEntity | null;
  /** Byte offset in the input where the entity's header begins. */
  readonly headerStart: number;
  /** Byte offset where its body begins, just past the empty line that ends the header. */
  readonly bodyStart: number;
}

export interface EntityHeader {
  readonly headers: readonly HeaderField[];
  readonly type: MediaType;
  readonly transferEncoding: string;
  readonly fileName: string | null;
  readonly kind: MimeEntity['kind'];
  /** The boundary of a multipart (RFC 2046 §5.1.1), null otherwise. */
  readonly boundary: string | null;
}

/** Reads a header block (lines joined by line breaks, as they came) with the media type its context gives. */
export function readEntityHeader(block: string, defaultType: string): EntityHeader {
  const headers = readHeaderFields(block);
  const type = parseMediaType(headerValue(headers, 'content-type'), defaultType);
  const transferEncoding = (headerValue(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  const boundary = type.mediaType.startsWith('multipart/') ? (type.params.boundary ?? null) : null;
  // RFC 2046 §5.2.1 and RFC 6532 §3.5: a message/rfc822 (or message/global) is walked into when its body is the
  // message as it is; an encoded one is a leaf, whose decoded data the caller may read as a message again.
  const nested =
    (type.mediaType === 'message/rfc822' || type.mediaType === 'message/global') &&
    isIdentityEncoding(transferEncoding);
  return {
    headers,
    type,
    transferEncoding,
    fileName: fileName(headers, type),
    kind: boundary !== null && boundary !== '' ? 'multipart' : nested ? 'message' : 'leaf',
    boundary,
  };
}
