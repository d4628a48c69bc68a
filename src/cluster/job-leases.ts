import type { Logger } from '../core/index.ts';
import type { JobLeaseRepository } from './ports.ts';

export interface JobLeasesDeps {
  readonly repo: JobLeaseRepository;
  /** This node's identity in the lease rows: unique per process (host, pid and a random part). */
  readonly owner: string;
  /** How long a lease lasts without renewal; another node takes a job over at most this long after its holder died. */
  readonly leaseMs: number;
  /**
   * Wall-clock time in milliseconds. Leases are about which process is alive, so they follow the real clock even
   * where the business clock is injected (tests move that one by months).
   */
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * Leases that make each periodic job run on one node of a cluster at a time (DKIM rotation, the DMARC calendar
 * and autopilot, re-checks, IMAP polls, report maintenance). A job asks its gate before each pass: the first node
 * to claim the lease runs the job, and keeps it, renewing every job it holds in the background every third of the
 * lease; the others skip their passes until the lease expires (the holder died) or is given back (it stopped).
 * A node that finds a renewal refused (it was paused past its lease, and another node took over) drops the job.
 */
export class JobLeases {
  readonly #d: JobLeasesDeps;
  readonly #held = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;

  constructor(deps: JobLeasesDeps) {
    this.#d = deps;
  }

  get owner(): string {
    return this.#d.owner;
  }

  /** The gate of one job: resolves true when this node holds (or has just taken) the job's lease. */
  gate(name: string): () => Promise<boolean> {
    return () => this.#claim(name);
  }

  /** The jobs this node holds now. */
  held(): readonly string[] {
    return [...this.#held].sort();
  }

  async #claim(name: string): Promise<boolean> {
    const now = this.#d.now();
    const ok = await this.#d.repo.claim(
      name,
      this.#d.owner,
      new Date(now + this.#d.leaseMs).toISOString(),
      new Date(now).toISOString(),
    );
    if (ok && !this.#held.has(name)) {
      this.#held.add(name);
      this.#d.log.info({ component: 'cluster', job: name, owner: this.#d.owner }, 'took the job lease');
      this.#startRenewing();
    } else if (!ok && this.#held.delete(name)) {
      this.#d.log.warn({ component: 'cluster', job: name }, 'lost the job lease to another node');
    }
    return ok;
  }

  #startRenewing(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(
      () => {
        this.#renewing ??= this.#renewAll().finally(() => (this.#renewing = undefined));
      },
      Math.max(50, Math.floor(this.#d.leaseMs / 3)),
    );
    this.#timer.unref();
  }

  async #renewAll(): Promise<void> {
    for (const name of [...this.#held]) {
      try {
        await this.#claim(name);
      } catch (error) {
        // The store is unreachable: keep trying; the lease lapses by itself if this goes on.
        this.#d.log.warn({ component: 'cluster', job: name, err: error }, 'could not renew the job lease');
      }
    }
  }

  /** Stops renewing and gives every lease back, so another node takes the jobs over at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewing?.catch(() => undefined);
    for (const name of [...this.#held]) {
      this.#held.delete(name);
      await this.#d.repo.release(name, this.#d.owner).catch((error: unknown) => {
        this.#d.log.warn(
          { component: 'cluster', job: name, err: error },
          'could not give the job lease back',
        );
      });
    }
  }
}
