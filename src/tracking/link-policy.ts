/**
 * Which links are tracked. A link is rewritten only when a browser would follow it to an http(s) URL that can be
 * known without guessing, and it is not one the sender or the recipient needs untouched:
 * - Only `http:` and `https:` after WHATWG URL parsing (so " HTTPS://x", tabs and newlines inside, and
 *   entity-encoded schemes are read as a browser reads them). `mailto:`, `tel:`, `javascript:`, `data:` and every
 *   other scheme stay as they are.
 * - A fragment-only link ("#top") points into the message itself and stays.
 * - A relative link is resolved against the document's `<base href>` when that is an absolute http(s) URL, and
 *   stays as it is otherwise: there is no right absolute URL to send the reader to, and we never invent one.
 * - Unsubscribe links stay: a URL that is also in the message's List-Unsubscribe header (RFC 2369 §3.2), or whose
 *   path or query contains "unsubscribe", "opt-out" or "optout" (any case). A rewritten unsubscribe link would
 *   send an unsubscribe through our click host, and mailbox providers check that it goes straight to the sender.
 */

const UNSUBSCRIBE = /unsubscribe|opt-?out/i;
const TAB_OR_NEWLINE = /[\t\n\r]/;

/** The URLs (normalised) of the http(s) entries of a List-Unsubscribe field value (RFC 2369 §2: "<" URL ">"). */
export function listUnsubscribeUrls(value: string | null): Set<string> {
  const urls = new Set<string>();
  if (value === null) return urls;
  for (const match of value.matchAll(/<([^>]*)>/g)) {
    const url = parseUrl(match[1]!.replace(/\s+/g, ''), null);
    if (url !== null) urls.add(url.href);
  }
  return urls;
}

/** The base URL relative links resolve against: the `<base href>` value when it is an absolute http(s) URL. */
export function baseUrl(value: string | null): URL | null {
  return value === null ? null : parseUrl(value, null);
}

/** The http(s) URL a link value leads to, or null when it is not one we track. */
export function trackedUrl(value: string, base: URL | null, unsubscribe: Set<string>): URL | null {
  // WHATWG URL §4.4: leading and trailing C0 controls and spaces are stripped; tabs and newlines are removed.
  // Most values have none of these, and are taken as they are without a copy.
  const cleaned =
    value.charCodeAt(0) > 0x20 && value.charCodeAt(value.length - 1) > 0x20 && !TAB_OR_NEWLINE.test(value)
      ? value
      : // eslint-disable-next-line no-control-regex
        value.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  if (cleaned === '' || cleaned.startsWith('#')) return null;
  const url = parseUrl(cleaned, base);
  if (url === null) return null;
  if (unsubscribe.has(url.href) || UNSUBSCRIBE.test(url.pathname + url.search)) return null;
  return url;
}

function parseUrl(value: string, base: URL | null): URL | null {
  const url = URL.parse(value, base?.href);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return url;
}
