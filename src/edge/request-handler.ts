import type { AcmeChallenge, ServedHost } from './model.ts';
import type { EdgeRequest, EdgeResponse, RouteTable } from './route-table.ts';

/**
 * What the edge answers, decided in one place for HTTP and HTTPS (pure over its lookups):
 * - an ACME HTTP-01 challenge over HTTP, from the store, for any host with a pending order (RFC 8555 §8.3);
 * - over HTTP, a host that has a certificate redirects to HTTPS;
 * - over TLS, a Host that is not the name the client asked for in SNI is 421 Misdirected Request (RFC 9110
 *   §15.5.20): one tenant's certificate never answers for another tenant's host;
 * - an unknown host, and an unknown path, get the same plain 404, which says nothing about other tenants;
 * - everything else goes to the routes of the host's role.
 */

export interface RequestHead {
  readonly method: string;
  /** The request target as received (origin form: path and query). */
  readonly target: string;
  readonly hostHeader: string | undefined;
  readonly secure: boolean;
  /** The SNI name of the TLS connection (lower case), or null over HTTP. */
  readonly servername: string | null;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string;
  /** The body of a POST (read whole, size-limited, by the server); empty for every other method. */
  readonly body: Buffer;
}

export interface HandlerDeps {
  readonly host: (hostname: string) => ServedHost | undefined;
  readonly challenge: (token: string) => Promise<AcmeChallenge | null>;
  readonly routes: RouteTable;
  /** The port in https:// redirects: omitted when it is 443. */
  readonly httpsPort: () => number;
}

const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';
/** RFC 8555 §8.3: the token is base64url; anything else cannot be one of ours. */
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

export const NOT_FOUND: EdgeResponse = { status: 404, headers: TEXT, body: 'Not found\n' };
const BAD_REQUEST: EdgeResponse = { status: 400, headers: TEXT, body: 'Bad request\n' };
const MISDIRECTED: EdgeResponse = { status: 421, headers: TEXT, body: 'Misdirected request\n' };

export function handleRequest(head: RequestHead, deps: HandlerDeps): EdgeResponse | Promise<EdgeResponse> {
  // RFC 9112 §3.2: a request without exactly one Host is answered 400.
  if (head.hostHeader === undefined) return BAD_REQUEST;
  const hostname = hostnameOf(head.hostHeader);
  if (hostname === null) return NOT_FOUND;
  if (head.secure && head.servername !== null && hostname !== head.servername) return MISDIRECTED;
  const q = head.target.indexOf('?');
  const path = q === -1 ? head.target : head.target.slice(0, q);
  const query = q === -1 ? '' : head.target.slice(q + 1);
  if (!head.secure && path.startsWith(CHALLENGE_PREFIX))
    return answerChallenge(path.slice(CHALLENGE_PREFIX.length), hostname, deps);
  const host = deps.host(hostname);
  if (host === undefined) return NOT_FOUND;
  if (!head.secure && host.certificateId !== null) return toHttps(head.method, hostname, head.target, deps);
  const match = deps.routes.match(host.role, head.method, path);
  if (match.kind === 'none') return NOT_FOUND;
  if (match.kind === 'method')
    return { status: 405, headers: { ...TEXT, allow: match.allow.join(', ') }, body: 'Method not allowed\n' };
  const request: EdgeRequest = {
    method: head.method,
    path,
    query,
    host,
    secure: head.secure,
    headers: head.headers,
    remoteAddress: head.remoteAddress,
    body: head.body,
  };
  return match.route.handle(request);
}

/** Every node answers from the store, for the host the challenge was made for only. */
async function answerChallenge(token: string, hostname: string, deps: HandlerDeps): Promise<EdgeResponse> {
  if (!TOKEN.test(token)) return NOT_FOUND;
  const challenge = await deps.challenge(token);
  if (challenge === null || challenge.hostname !== hostname) return NOT_FOUND;
  return {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' },
    body: challenge.keyAuthorization,
  };
}

/**
 * 301 for GET and HEAD; 308 for every other method, which must not turn into a GET (RFC 9110 §15.4.9): a
 * one-click unsubscribe is a POST.
 */
function toHttps(method: string, hostname: string, target: string, deps: HandlerDeps): EdgeResponse {
  const port = deps.httpsPort();
  const location = `https://${hostname}${port === 443 ? '' : `:${port}`}${target.startsWith('/') ? target : '/'}`;
  return {
    status: method === 'GET' || method === 'HEAD' ? 301 : 308,
    headers: { ...TEXT, location },
    body: 'Moved to HTTPS\n',
  };
}

/**
 * The host name of a Host field (RFC 9110 §7.2): lower case, without the port and a trailing dot. Null for
 * anything that cannot be a customer host name (IP literals among them).
 */
export function hostnameOf(field: string): string | null {
  let name = field.trim().toLowerCase();
  const colon = name.lastIndexOf(':');
  if (colon !== -1) {
    if (!/^\d{1,5}$/.test(name.slice(colon + 1))) return null;
    name = name.slice(0, colon);
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0 || name.length > 253 || !/^[a-z0-9._-]+$/.test(name)) return null;
  return name;
}
