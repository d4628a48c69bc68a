import { constants } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { EdgeTls } from './edge-server.ts';
import type { KekSource } from '../secrets/index.ts';
import { hostKeyAad, openKey } from './certificate-keys.ts';
import type { ServedHost } from './model.ts';
import type { EdgeRepository } from './ports.ts';

/**
 * Parsed TLS contexts by host name, so a handshake costs no store query, no unsealing and no PEM parsing once a
 * host has been served. A context is built on first use from the store (the key opened in memory only, for as
 * long as OpenSSL takes to read it), shared by every handshake that asks for it meanwhile, and dropped when the
 * host's certificate changes. At most `maxEntries` are kept; the least recently built goes first.
 */
export class SecureContextCache {
  readonly #repo: Pick<EdgeRepository, 'currentCertificate'>;
  readonly #kek: KekSource;
  readonly #max: number;
  readonly #secureOptions: number;
  readonly #contexts = new Map<string, { certificateId: string; context: SecureContext }>();
  readonly #loading = new Map<string, Promise<SecureContext | null>>();

  constructor(
    repo: Pick<EdgeRepository, 'currentCertificate'>,
    kek: KekSource,
    tls: EdgeTls,
    maxEntries = 10_000,
  ) {
    this.#repo = repo;
    this.#kek = kek;
    this.#secureOptions = tls.sessionTickets ? 0 : constants.SSL_OP_NO_TICKET;
    this.#max = maxEntries;
  }

  /** The context for a host with a certificate: at once when cached, else once it is loaded. */
  contextFor(host: ServedHost): SecureContext | Promise<SecureContext | null> | null {
    if (host.certificateId === null) return null;
    const cached = this.#contexts.get(host.hostname);
    if (cached !== undefined && cached.certificateId === host.certificateId) return cached.context;
    let loading = this.#loading.get(host.hostname);
    if (loading === undefined) {
      loading = this.#load(host.hostname).finally(() => this.#loading.delete(host.hostname));
      this.#loading.set(host.hostname, loading);
    }
    return loading;
  }

  /** Forgets these hosts' contexts (their certificate changed, or they are gone). */
  drop(hostnames: readonly string[]): void {
    for (const name of hostnames) this.#contexts.delete(name);
  }

  get size(): number {
    return this.#contexts.size;
  }

  async #load(hostname: string): Promise<SecureContext | null> {
    const stored = await this.#repo.currentCertificate(hostname);
    if (stored === null) return null;
    const context = createSecureContext({
      cert: stored.chainPem,
      key: openKey(stored.key, hostKeyAad(hostname), this.#kek),
      minVersion: 'TLSv1.2',
      secureOptions: this.#secureOptions,
    });
    if (this.#contexts.size >= this.#max) this.#contexts.delete(this.#contexts.keys().next().value!);
    this.#contexts.set(hostname, { certificateId: stored.id, context });
    return context;
  }
}
