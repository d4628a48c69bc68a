/**
 * The click host's tracking routes on the edge (`https://<click host>/…`):
 * - `GET /c/<token>`: 302 to the URL signed into the token, only http(s), only over HTTPS. A token that does not
 *   verify, names an unknown message, or belongs to another sender domain's host gets the edge's plain 404: the
 *   edge never redirects anywhere a token we made does not say (no open redirect).
 * - `GET /o/<token>`: a 1×1 transparent GIF, never cached (`no-store`), so each fetch is seen.
 * - `POST /u/<token>`: RFC 8058 one-click unsubscribe, at once, idempotent, no sign-in. `GET /u/<token>` shows a
 *   page with a button that makes that POST: link scanners follow GETs (RFC 8058 §3.2), so a GET changes nothing.
 * HEAD is answered like GET (route-table.ts) and never recorded: it is no one reading.
 */
import { CLICK_ROLE, NOT_FOUND, type EdgeRequest, type EdgeResponse, type EdgeRoute } from '../edge/index.ts';
import { verifyLinkToken, type LinkKind, type LinkTokenKeys, type VerifiedLink } from './link-token.ts';
import { isOneClickBody } from './one-click-body.ts';
import type { TrackedTarget, TrackingService, VisitRequest } from './tracking-service.ts';

/** A transparent 1×1 GIF (GIF89a, a two-colour table, the graphic control extension marking it transparent). */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PIXEL_HEADERS = { 'content-type': 'image/gif', 'cache-control': 'no-store' };
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The page posts its form to itself and loads nothing.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};
const BAD_REQUEST: EdgeResponse = {
  status: 400,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'This is not a one-click unsubscribe request (RFC 8058: List-Unsubscribe=One-Click).\n',
};

export interface TrackingRouteDeps {
  readonly keys: () => Promise<LinkTokenKeys>;
  readonly service: TrackingService;
}

export function trackingRoutes(deps: TrackingRouteDeps): EdgeRoute[] {
  // The keys once read (a platform secret, read from the store on first use), so a click does not wait for them.
  let keys: LinkTokenKeys | undefined;
  type Found = { link: VerifiedLink; target: TrackedTarget } | null;
  /**
   * The verified claims and their message, or null for every reason the answer is 404: at once when the keys and
   * the message are at hand (the usual case), else once they are read.
   */
  const resolve = (request: EdgeRequest, prefix: string, kind: LinkKind): Found | Promise<Found> => {
    if (!request.secure) return null;
    if (keys === undefined)
      return deps.keys().then((k) => {
        keys = k;
        return resolve(request, prefix, kind);
      });
    const verified = verifyLinkToken(keys, request.path.slice(prefix.length));
    if (!verified.ok || verified.value.kind !== kind) return null;
    const link = verified.value;
    const cached = deps.service.cachedTarget(link, request.host);
    if (cached !== undefined) return cached === null ? null : { link, target: cached };
    return deps.service
      .target(link, request.host)
      .then((target) => (target === null ? null : { link, target }));
  };
  const visitor = (request: EdgeRequest): VisitRequest => {
    const ua = request.headers['user-agent'];
    return { userAgent: typeof ua === 'string' ? ua : '', clientAddress: request.remoteAddress };
  };
  return [
    {
      role: CLICK_ROLE,
      methods: ['GET'],
      path: '/c/',
      prefix: true,
      handle(request) {
        const click = (found: Found): EdgeResponse => {
          const location = found === null ? null : redirectTarget(found.link.url);
          if (found === null || location === null) return NOT_FOUND;
          if (request.method === 'GET') deps.service.recordVisit(found.target, found.link, visitor(request));
          return { status: 302, headers: { location, 'cache-control': 'no-store' } };
        };
        const found = resolve(request, '/c/', 'click');
        return found instanceof Promise ? found.then(click) : click(found);
      },
    },
    {
      role: CLICK_ROLE,
      methods: ['GET'],
      path: '/o/',
      prefix: true,
      async handle(request) {
        const found = await resolve(request, '/o/', 'open');
        if (found === null) return NOT_FOUND;
        if (request.method === 'GET') deps.service.recordVisit(found.target, found.link, visitor(request));
        return { status: 200, headers: PIXEL_HEADERS, body: PIXEL };
      },
    },
    {
      role: CLICK_ROLE,
      methods: ['GET', 'POST'],
      path: '/u/',
      prefix: true,
      async handle(request) {
        const found = await resolve(request, '/u/', 'unsubscribe');
        if (found === null) return NOT_FOUND;
        const domain = found.target.message.senderDomain ?? request.host.domain;
        if (request.method !== 'POST')
          return { status: 200, headers: PAGE_HEADERS, body: confirmPage(domain, request.path) };
        const contentType = request.headers['content-type'];
        if (!isOneClickBody(typeof contentType === 'string' ? contentType : undefined, request.body))
          return BAD_REQUEST;
        await deps.service.unsubscribe(found.target, visitor(request));
        return { status: 200, headers: PAGE_HEADERS, body: donePage(domain) };
      },
    },
  ];
}

/** Signed URLs already checked: a newsletter's links are few and each is clicked many times. */
const locations = new Map<string, string | null>();
const LOCATIONS = 10_000;

/** The URL to send a click to: the signed URL when it is an absolute http(s) URL, as WHATWG parses it. */
export function redirectTarget(url: string): string | null {
  const known = locations.get(url);
  if (known !== undefined) return known;
  const location = parsedTarget(url);
  if (locations.size >= LOCATIONS) locations.clear();
  locations.set(url, location);
  return location;
}

function parsedTarget(url: string): string | null {
  const parsed = URL.parse(url);
  if (parsed === null) return null;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:1px solid #333;background:#222;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>
`;
}

function confirmPage(domain: string, path: string): string {
  const d = escapeHtml(domain);
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop receiving this mail from <strong>${d}</strong>?</p>
<form method="post" action="${escapeHtml(path)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`,
  );
}

function donePage(domain: string): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1><p>You will no longer receive this mail from <strong>${escapeHtml(domain)}</strong>.</p>`,
  );
}
