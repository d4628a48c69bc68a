/**
 * Reverse names of report sources, resolved in the background through an injected resolver and cached in the
 * store. A name counts as verified only when it resolves back to the address (forward-confirmed reverse DNS, the
 * "iprev" method of RFC 8601 §3).
 */
import type { Clock, Logger } from '../core/index.ts';
import { normaliseIp, parseIp } from '../ip/index.ts';
import type { ReportStatsRepository } from './stats-ports.ts';

/** The lookups we need; main.ts gives dnsReverseResolver (over src/resolver), tests give their own. */
export interface ReverseResolver {
  /** PTR names of an address (RFC 1035 §3.5). */
  reverse(ip: string): Promise<string[]>;
  /** A or AAAA addresses of a name. */
  addresses(name: string, family: 4 | 6): Promise<string[]>;
}

export interface ReverseNameDeps {
  readonly resolver: ReverseResolver;
  readonly stats: Pick<ReportStatsRepository, 'addressesToResolve' | 'saveReverseName'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Names older than this are looked up again. */
  readonly refreshDays: number;
  readonly concurrency: number;
}

export async function lookUpReverseName(
  resolver: ReverseResolver,
  ip: string,
): Promise<{ ptr: string | null; verified: boolean }> {
  const parsed = parseIp(ip);
  if (parsed === null) return { ptr: null, verified: false };
  let names: string[];
  try {
    names = await resolver.reverse(ip);
  } catch {
    return { ptr: null, verified: false };
  }
  const ptr = names[0]?.toLowerCase().replace(/\.$/, '') ?? null;
  if (ptr === null) return { ptr: null, verified: false };
  try {
    const back = await resolver.addresses(ptr, parsed.family);
    return { ptr, verified: back.some((a) => normaliseIp(a) === ip) };
  } catch {
    return { ptr, verified: false };
  }
}

export class ReverseNameWorker {
  readonly #deps: ReverseNameDeps;
  #running: Promise<number> | null = null;

  constructor(deps: ReverseNameDeps) {
    this.#deps = deps;
  }

  /** Resolves up to `limit` sources without a fresh name. One run at a time; a second call joins the first. */
  run(limit = 500): Promise<number> {
    this.#running ??= this.#run(limit).finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(limit: number): Promise<number> {
    const { stats, clock, resolver, refreshDays, concurrency } = this.#deps;
    const stale = new Date(clock.now().getTime() - refreshDays * 86_400_000).toISOString();
    const pending = await stats.addressesToResolve(stale, limit);
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const ip = pending[next++]!;
        const { ptr, verified } = await lookUpReverseName(resolver, ip);
        await stats.saveReverseName(ip, ptr, verified, clock.now().toISOString());
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    if (pending.length > 0)
      this.#deps.log.debug({ component: 'reports', resolved: pending.length }, 'reverse names');
    return pending.length;
  }
}
