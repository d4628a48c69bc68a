/**
 * Whether a POST body is RFC 8058's one-click request. §3.1: the receiver POSTs `List-Unsubscribe=One-Click` as
 * `multipart/form-data` (RFC 7578) or `application/x-www-form-urlencoded`; anything else is not a one-click
 * unsubscribe and changes nothing. The multipart reading is the least that finds one short field: each part's
 * `Content-Disposition: form-data; name="List-Unsubscribe"` and its value, between boundaries.
 */
import { parseMediaType } from '../mail/index.ts';

export function isOneClickBody(contentType: string | undefined, body: Buffer): boolean {
  const media = parseMediaType(contentType, '');
  const type = media.mediaType;
  const text = body.toString('latin1');
  if (type === 'application/x-www-form-urlencoded')
    return new URLSearchParams(text).getAll('List-Unsubscribe').includes('One-Click');
  if (type !== 'multipart/form-data') return false;
  const boundary = media.params['boundary'];
  if (boundary === undefined || boundary === '') return false;
  for (const part of text.split(`--${boundary}`)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split === -1) continue;
    const headers = part.slice(0, split);
    const value = part
      .slice(split)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
    if (/content-disposition:\s*form-data;[^\r\n]*\bname="?List-Unsubscribe"?(;|\s|$)/im.test(headers))
      if (value === 'One-Click') return true;
  }
  return false;
}
