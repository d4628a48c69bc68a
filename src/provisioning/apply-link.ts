import { DC_KEY_LABEL, type DomainConnectTemplate } from './domain-connect-template.ts';

/** What the DNS provider's settings document says (draft-ietf-dconn-domainconnect-03 §7), the fields used here. */
export interface ProviderSettings {
  readonly providerId: string;
  readonly providerName: string;
  readonly providerDisplayName: string | null;
  /** The synchronous flow's UX prefix; absent when the provider offers no synchronous flow for the domain. */
  readonly urlSyncUX: string | null;
  readonly urlAPI: string | null;
}

export interface ApplyLinkRequest {
  readonly settings: ProviderSettings & { readonly urlSyncUX: string };
  readonly template: DomainConnectTemplate;
  /** The zone apex (§8.3.2 `domain`) and the sender domain's labels below it (`host`, '' at the apex). */
  readonly apex: string;
  readonly host: string;
  readonly token: string;
  readonly redirectUri: string | null;
  readonly state: string | null;
}

/** RFC 3986 percent-encoding of everything but the unreserved characters (§8.3.2.1 step 1b). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical input of the signature (§8.3.2.1 step 1): every apply parameter except sig and key, names and
 * values percent-encoded, sorted by encoded name, joined as name=value with "&".
 */
export function canonicalQuery(params: ReadonlyMap<string, string>): string {
  return [...params]
    .filter(([name]) => name !== 'sig' && name !== 'key')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * The synchronous apply URL (§8.3.1), signed (§8.3.2.1): `sign` returns the RS256 signature (RSASSA-PKCS1-v1_5
 * with SHA-256, RFC 7518 §3.3) of its input; it is sent in standard base64, percent-encoded, followed by the key
 * label. The query is used as it is: a provider verifies over it without re-encoding (§8.3.4 step 6).
 */
export function applyLink(request: ApplyLinkRequest, sign: (input: Buffer) => Buffer): string {
  const { settings, template } = request;
  const params = new Map<string, string>([
    ['domain', request.apex],
    ['token', request.token],
  ]);
  if (request.host !== '') params.set('host', request.host);
  if (request.redirectUri !== null) params.set('redirect_uri', request.redirectUri);
  if (request.state !== null) params.set('state', request.state);
  const query = canonicalQuery(params);
  const sig = sign(Buffer.from(query, 'utf8')).toString('base64');
  const base = settings.urlSyncUX.replace(/\/+$/, '');
  const path = `/v2/domainTemplates/providers/${encode(template.providerId)}/services/${encode(template.serviceId)}/apply`;
  return `${base}${path}?${query}&sig=${encode(sig)}&key=${DC_KEY_LABEL}`;
}

/**
 * The signing key's public half as the TXT records of §6.4: `p=<n>,a=RS256,d=<base64 fragment>`, one record per
 * fragment, each well under a 255-octet character-string, reassembled by the provider in the order of p.
 */
export function publicKeyTexts(spkiDer: Buffer, fragment = 200): string[] {
  const all = spkiDer.toString('base64');
  const out: string[] = [];
  for (let i = 0; i * fragment < all.length; i++)
    out.push(`p=${i + 1},a=RS256,d=${all.slice(i * fragment, (i + 1) * fragment)}`);
  return out;
}
