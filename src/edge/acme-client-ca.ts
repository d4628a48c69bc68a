import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import acme from 'acme-client';
import type { InternalAxiosRequestConfig, AxiosResponse } from 'axios';
import type { Clock } from '../core/index.ts';
import type { KekSource } from '../secrets/index.ts';
import {
  AcmeFailure,
  type AcmeAuthorization,
  type AcmeCa,
  type AcmeCaFactory,
  type AcmeOrder,
} from './acme-ca.ts';
import { accountKeyAad, generateCertificateKey, openKey, sealKey } from './certificate-keys.ts';
import type { EdgeRepository } from './ports.ts';

/**
 * The ACME CA over the acme-client library (RFC 8555 JWS, nonces, account and order objects). The library sends
 * every request through one shared axios instance, so the per-CA settings (an extra trusted root for a test CA,
 * the request timeout) are kept per directory origin and applied by one request interceptor; its own retries
 * (fixed sleeps of 5 s and more, on 429 and 5xx) are off: a failed order backs off in the scheduler instead.
 */

export interface AcmeClientCaOptions {
  readonly directoryUrl: string;
  readonly email: string;
  /** Extra root certificates (PEM) trusted for the CA's HTTPS, beside the system's. */
  readonly extraRootsPem: string | null;
  readonly timeoutMs: number;
  readonly repo: EdgeRepository;
  readonly kek: KekSource;
  readonly clock: Clock;
}

interface OriginSettings {
  readonly agent: Agent | undefined;
  readonly timeoutMs: number;
  /** The last Retry-After the CA sent (RFC 8555 §6.6), in ms, read when a request fails. */
  retryAfterMs: number | null;
}

const origins = new Map<string, OriginSettings>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  (
    acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }
  ).acmeSettings.retryMaxAttempts = 0;
  acme.axios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    const settings = config.url === undefined ? undefined : origins.get(originOf(config.url));
    if (settings !== undefined) {
      if (settings.agent !== undefined) config.httpsAgent = settings.agent;
      config.timeout = settings.timeoutMs;
    }
    return config;
  });
  acme.axios.interceptors.response.use((response: AxiosResponse) => {
    const settings = origins.get(originOf(String(response.config.url)));
    const header: unknown = response.headers['retry-after'];
    if (settings !== undefined && (response.status === 429 || response.status === 503))
      settings.retryAfterMs = typeof header === 'string' ? retryAfterMs(header) : null;
    return response;
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** RFC 9110 §10.2.3: seconds, or an HTTP date. */
function retryAfterMs(value: string): number | null {
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Opens (once per process) a session under the platform's account with the directory, making it on first use. */
export function acmeClientCa(options: AcmeClientCaOptions): AcmeCaFactory {
  install();
  const origin = originOf(options.directoryUrl);
  const settings: OriginSettings = {
    agent:
      options.extraRootsPem === null
        ? undefined
        : new Agent({ ca: [...rootCertificates, options.extraRootsPem], keepAlive: true }),
    timeoutMs: options.timeoutMs,
    retryAfterMs: null,
  };
  origins.set(origin, settings);
  let session: Promise<AcmeCa> | undefined;
  return () => {
    session ??= openSession(options, settings).catch((error: unknown) => {
      session = undefined;
      throw failure(error, settings);
    });
    return session;
  };
}

async function openSession(o: AcmeClientCaOptions, settings: OriginSettings): Promise<AcmeCa> {
  const aad = accountKeyAad(o.directoryUrl);
  let stored = await o.repo.account(o.directoryUrl);
  if (stored === null) {
    // ES256 account keys are accepted by every CA we know of (RFC 7518 §3.4).
    const keyPem = generateCertificateKey('ecdsa-p256');
    const client = new acme.Client({ directoryUrl: o.directoryUrl, accountKey: keyPem });
    await client.createAccount({
      termsOfServiceAgreed: true,
      ...(o.email === '' ? {} : { contact: [`mailto:${o.email}`] }),
    });
    await o.repo.insertAccountIfAbsent({
      directoryUrl: o.directoryUrl,
      accountUrl: client.getAccountUrl(),
      key: sealKey(keyPem, aad, o.kek),
      createdAt: o.clock.now().toISOString(),
    });
    // Another node may have made one at the same moment: every node uses the one stored first.
    stored = await o.repo.account(o.directoryUrl);
    if (stored === null) throw new Error('the ACME account was not stored');
  }
  const client = new acme.Client({
    directoryUrl: o.directoryUrl,
    accountKey: openKey(stored.key, aad, o.kek),
    accountUrl: stored.accountUrl,
  });
  return sessionOver(client, settings);
}

function sessionOver(client: acme.Client, settings: OriginSettings): AcmeCa {
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    settings.retryAfterMs = null;
    try {
      return await work();
    } catch (error) {
      throw failure(error, settings);
    }
  };
  return {
    newOrder: (hostname) =>
      call(async () =>
        toOrder(await client.createOrder({ identifiers: [{ type: 'dns', value: hostname }] })),
      ),
    order: (url) => call(async () => toOrder(await client.getOrder({ url } as acme.Order))),
    authorization: (url) =>
      call(async () => {
        const [authz] = await client.getAuthorizations({ authorizations: [url] } as acme.Order);
        if (authz === undefined) throw new Error(`no authorization at ${url}`);
        return toAuthorization(authz);
      }),
    keyAuthorization: (token) =>
      client.getChallengeKeyAuthorization({ type: 'http-01', token, url: '', status: 'pending' }),
    respond: (url) =>
      call(async () => {
        await client.completeChallenge({ type: 'http-01', url, token: '', status: 'pending' });
      }),
    finalize: (order, csrPem) =>
      call(async () => toOrder(await client.finalizeOrder(order as acme.Order, csrPem))),
    downloadChain: (order) => call(() => client.getCertificate(order as acme.Order)),
  };
}

function failure(error: unknown, settings: OriginSettings): AcmeFailure {
  if (error instanceof AcmeFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AcmeFailure(message, settings.retryAfterMs);
}

function toOrder(o: acme.Order): AcmeOrder {
  return {
    url: o.url,
    status: o.status,
    authorizations: o.authorizations,
    finalize: o.finalize,
    ...(o.certificate === undefined ? {} : { certificate: o.certificate }),
    ...(o.error === undefined ? {} : { error: problem(o.error) }),
  };
}

function toAuthorization(a: acme.Authorization): AcmeAuthorization {
  return {
    url: a.url,
    identifier: a.identifier,
    status: a.status,
    challenges: a.challenges.map((c) => ({
      type: c.type,
      url: c.url,
      token: 'token' in c ? c.token : '',
      status: c.status,
      ...(c.error === undefined ? {} : { error: problem(c.error) }),
    })),
  };
}

function problem(value: object): { type: string; detail: string } {
  const p = value as { type?: unknown; detail?: unknown };
  return {
    type: typeof p.type === 'string' ? p.type : '',
    detail: typeof p.detail === 'string' ? p.detail : JSON.stringify(value),
  };
}
