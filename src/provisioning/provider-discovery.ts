import type { RecursiveResolver } from '../resolver/index.ts';
import type { ProviderSettings } from './apply-link.ts';

export interface DiscoveryDeps {
  /** The TXT strings at a name (each record's strings joined); [] when there is none; throws on trouble. */
  readonly txt: (name: string) => Promise<string[]>;
  /** GET an https URL: the status and the parsed JSON body (null when not JSON); throws when unreachable. */
  readonly getJson: (url: string) => Promise<{ readonly status: number; readonly body: unknown }>;
}

/** What discovery found, as data: a provider that can apply the template, or why not. */
export type Discovery =
  | {
      readonly kind: 'provider';
      readonly apex: string;
      readonly host: string;
      readonly settings: ProviderSettings & { readonly urlSyncUX: string };
    }
  | { readonly kind: 'none'; readonly reason: string };

const LABELS = /^[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~%/-]*)?$/;

/**
 * DNS provider discovery (draft-ietf-dconn-domainconnect-03 §7, §8.2): the `_domainconnect` TXT record at the zone
 * apex (tried from the sender domain up to its registrable domain, since discovery works on the apex only), then
 * the settings document at https://{_domainconnect}/v2/{domain}/settings, then whether the provider has the
 * platform's template. Every "no" says why, so the wizard can explain the fallback to copying.
 */
export async function discoverProvider(
  domain: string,
  registrable: string,
  template: { readonly providerId: string; readonly serviceId: string },
  deps: DiscoveryDeps,
): Promise<Discovery> {
  let apex: string | null = null;
  let prefix = '';
  for (let name = domain; ; name = name.slice(name.indexOf('.') + 1)) {
    const found = (await deps.txt(`_domainconnect.${name}`)).map((t) => t.trim()).filter((t) => t !== '');
    if (found.length > 0) {
      apex = name;
      prefix = found[0]!;
      break;
    }
    if (name === registrable || !name.includes('.')) break;
  }
  if (apex === null)
    return { kind: 'none', reason: `no _domainconnect TXT record at ${domain} or its parents` };
  // §7: authority and an optional path, never a scheme, query or fragment.
  if (!LABELS.test(prefix))
    return { kind: 'none', reason: `_domainconnect.${apex} holds "${prefix}", which is not a host[/path]` };
  const settingsUrl = `https://${prefix.replace(/\/+$/, '')}/v2/${apex}/settings`;
  const answer = await deps.getJson(settingsUrl);
  if (answer.status === 404)
    return { kind: 'none', reason: `the DNS provider at ${prefix} does not have the zone ${apex} (404)` };
  if (answer.status < 200 || answer.status > 299)
    return { kind: 'none', reason: `${settingsUrl} answered HTTP ${answer.status}` };
  const settings = readSettings(answer.body);
  if (settings === null)
    return { kind: 'none', reason: `${settingsUrl} is not a Domain Connect settings document` };
  if (settings.urlSyncUX === null || !settings.urlSyncUX.startsWith('https://'))
    return {
      kind: 'none',
      reason: `${settings.providerName} offers no synchronous flow (urlSyncUX) for ${apex}`,
    };
  if (settings.urlAPI === null || !settings.urlAPI.startsWith('https://'))
    return { kind: 'none', reason: `${settings.providerName} gives no API URL to ask for the template` };
  const query = `${settings.urlAPI.replace(/\/+$/, '')}/v2/domainTemplates/providers/${encodeURIComponent(template.providerId)}/services/${encodeURIComponent(template.serviceId)}`;
  const supported = await deps.getJson(query);
  if (supported.status < 200 || supported.status > 299)
    return {
      kind: 'none',
      reason: `${settings.providerName} does not have the template ${template.providerId}/${template.serviceId} (HTTP ${supported.status})`,
    };
  const host = domain === apex ? '' : domain.slice(0, -(apex.length + 1));
  return { kind: 'provider', apex, host, settings: { ...settings, urlSyncUX: settings.urlSyncUX } };
}

function readSettings(body: unknown): ProviderSettings | null {
  if (typeof body !== 'object' || body === null) return null;
  const o = body as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const providerId = text(o.providerId);
  const providerName = text(o.providerName);
  if (providerId === null || providerName === null) return null;
  return {
    providerId,
    providerName,
    providerDisplayName: text(o.providerDisplayName),
    urlSyncUX: text(o.urlSyncUX),
    urlAPI: text(o.urlAPI),
  };
}

/** The discovery's TXT lookups through a recursive resolver: no record is [], trouble throws (it is temporary). */
export function discoveryTxt(resolver: Pick<RecursiveResolver, 'txt'>): DiscoveryDeps['txt'] {
  return async (name) => {
    const found = await resolver.txt(name);
    if (found.kind === 'answer') return [...found.records];
    if (found.kind === 'error') throw new Error(`looking up ${name}: ${found.reason}`);
    return [];
  };
}
