import type { Clock } from '../core/index.ts';
import { formatIp, networkAddress, parseIp, unmapped } from '../ip/index.ts';

/**
 * Response rate limiting per client network (in the spirit of BIND's RRL): each IPv4 /24 or IPv6 /56 (by
 * default) earns `responsesPerSecond` tokens a second, up to one second's worth. Over the limit an answer is
 * dropped, except every `slip`-th one, which goes out truncated (TC=1) so a real resolver retries over TCP
 * and is never locked out by someone spoofing its address. Off by default. The table is bounded.
 */
export interface RateLimitSettings {
  readonly responsesPerSecond: number;
  /** Every n-th limited answer is sent truncated instead of dropped; 0 drops them all. */
  readonly slip: number;
  readonly ipv4PrefixLength: number;
  readonly ipv6PrefixLength: number;
  /** Most client networks tracked at once; the oldest entries are forgotten first. */
  readonly maxEntries: number;
}

export type RateDecision = 'answer' | 'drop' | 'slip';

interface Bucket {
  tokens: number;
  at: number;
  limited: number;
}

export class RateLimiter {
  readonly #s: RateLimitSettings;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(settings: RateLimitSettings, clock: Clock) {
    this.#s = settings;
    this.#clock = clock;
  }

  decide(address: string): RateDecision {
    const key = networkOf(address, this.#s.ipv4PrefixLength, this.#s.ipv6PrefixLength);
    const now = this.#clock.now().getTime();
    const rate = this.#s.responsesPerSecond;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#s.maxEntries) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
      bucket = { tokens: rate, at: now, limited: 0 };
    } else {
      // Map order is insertion order: re-inserting keeps the most recently seen networks at the end.
      this.#buckets.delete(key);
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'answer';
    }
    bucket.limited++;
    return this.#s.slip > 0 && bucket.limited % this.#s.slip === 0 ? 'slip' : 'drop';
  }

  get size(): number {
    return this.#buckets.size;
  }
}

/** The client's network: the address with the host bits cleared, as text; an IPv4-mapped client is IPv4. */
export function networkOf(address: string, v4Prefix: number, v6Prefix: number): string {
  const parsed = parseIp(address);
  if (parsed === null) return address;
  const ip = unmapped(parsed);
  const prefix = ip.family === 4 ? v4Prefix : v6Prefix;
  return `${formatIp(networkAddress(ip, prefix))}/${prefix}`;
}
