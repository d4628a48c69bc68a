import type { Clock } from '../core/index.ts';
import type { DnsServerAddress } from '../resolver/index.ts';

/** One authoritative server of a zone: its NS name and one of its addresses. */
export interface ZoneServer {
  readonly name: string;
  readonly address: DnsServerAddress;
  /** `ns1.example.com (192.0.2.53)`, with the port when it is not 53. */
  readonly label: string;
}

/** A zone cut: the zone's apex and the servers its parent names for it (RFC 1034 §4.2.1). */
export interface Delegation {
  readonly zone: string;
  readonly servers: readonly ZoneServer[];
}

/**
 * Zone cuts learned by following referrals, kept for the NS TTL (capped), so a thousand checks do not walk
 * from the root a thousand times. Shared between checks; the records themselves are never cached here.
 */
export class DelegationCache {
  readonly #clock: Clock;
  readonly #maxTtl: number;
  readonly #entries = new Map<string, { delegation: Delegation; expires: number }>();

  constructor(clock: Clock, maxTtlSeconds = 3600) {
    this.#clock = clock;
    this.#maxTtl = maxTtlSeconds;
  }

  set(delegation: Delegation, ttl: number): void {
    const seconds = Math.max(0, Math.min(ttl, this.#maxTtl));
    this.#entries.set(delegation.zone, { delegation, expires: this.#clock.now().getTime() + seconds * 1000 });
  }

  /** The deepest known zone cut at or above `name`, if any is still fresh. */
  closest(name: string): Delegation | undefined {
    const now = this.#clock.now().getTime();
    const labels = name === '' ? [] : name.split('.');
    for (let i = 0; i <= labels.length; i++) {
      const zone = labels.slice(i).join('.');
      const entry = this.#entries.get(zone);
      if (entry === undefined) continue;
      if (entry.expires <= now) {
        this.#entries.delete(zone);
        continue;
      }
      return entry.delegation;
    }
    return undefined;
  }
}

export function serverLabel(name: string, address: DnsServerAddress): string {
  const at = address.port === 53 ? address.host : `${address.host}:${address.port}`;
  return name === '' ? at : `${name} (${at})`;
}

/** `a.b.c` is at or below `zone` (the root, '', is above everything). */
export function isAtOrBelow(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}
