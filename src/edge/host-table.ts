import type { ServedHost } from './model.ts';
import type { EdgeRepository } from './ports.ts';

/**
 * The hosts this node serves, held in memory so that a request or a TLS handshake for a known name costs a map
 * lookup and an unknown name costs nothing more (no store query for hostile SNI). It reloads when the store's
 * stamp moves (any node may have added a host or a certificate), and tells its listener which names changed, so
 * their parsed TLS contexts are dropped.
 */
export class HostTable {
  readonly #repo: Pick<EdgeRepository, 'servedHosts' | 'servedStamp'>;
  readonly #onChange: (hostnames: readonly string[]) => void;
  #hosts = new Map<string, ServedHost>();
  #stamp: string | null = null;

  constructor(
    repo: Pick<EdgeRepository, 'servedHosts' | 'servedStamp'>,
    onChange: (hostnames: readonly string[]) => void,
  ) {
    this.#repo = repo;
    this.#onChange = onChange;
  }

  get(hostname: string): ServedHost | undefined {
    return this.#hosts.get(hostname);
  }

  get size(): number {
    return this.#hosts.size;
  }

  /** Reloads if the store changed since the last load (or always, with `force`). True when it reloaded. */
  async refresh(force = false): Promise<boolean> {
    const stamp = await this.#repo.servedStamp();
    if (!force && stamp === this.#stamp) return false;
    const hosts = new Map((await this.#repo.servedHosts()).map((h) => [h.hostname, h]));
    const changed: string[] = [];
    for (const [name, old] of this.#hosts) {
      const now = hosts.get(name);
      if (now === undefined || now.certificateId !== old.certificateId || now.domainId !== old.domainId)
        changed.push(name);
    }
    for (const name of hosts.keys()) if (!this.#hosts.has(name)) changed.push(name);
    this.#hosts = hosts;
    this.#stamp = stamp;
    if (changed.length > 0) this.#onChange(changed);
    return true;
  }
}
