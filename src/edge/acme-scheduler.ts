import { PeriodicTask, type Clock, type Logger, type RandomSource } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { CertificateIssuer, IssueOutcome } from './certificate-issuer.ts';
import { planHosts, wantedHosts, type EdgeHostRole } from './host-plan.ts';
import type { EdgeRepository } from './ports.ts';
import { nextAction } from './renewal-policy.ts';

export interface AcmeSchedulerDeps {
  readonly repo: EdgeRepository;
  /** Every sender domain of every tenant (the domains capability). */
  readonly domains: () => Promise<SenderDomain[]>;
  readonly roles: readonly EdgeHostRole[];
  readonly issuer: CertificateIssuer;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** Hosts worked on at once by this node. */
  readonly concurrency: number;
  /** How long a claim on a host lasts: longer than one pass over it may take. */
  readonly leaseMs: number;
  /** Told when hosts were added or removed, so this node's listeners reload at once (awaited). */
  readonly onHostsChanged?: () => Promise<void>;
}

export interface PassReport {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly worked: ReadonlyMap<string, IssueOutcome>;
}

/**
 * The ACME scheduler: on every pass it brings the stored hosts in line with the domains (a click host appears when
 * its domain is verified and its CNAME was seen to point at the edge), then works on each host that is due: an
 * order under way resumes, a new one is placed for a host without a certificate or one past two thirds of its
 * lifetime, once any back-off has passed. A lease in the store makes one node at a time work on a host, so
 * several nodes may run it.
 */
export class AcmeScheduler {
  readonly #d: AcmeSchedulerDeps;
  readonly #task: PeriodicTask<PassReport>;
  readonly #owner: string;

  constructor(deps: AcmeSchedulerDeps) {
    this.#d = deps;
    this.#owner = deps.random.bytes(8).toString('hex');
    this.#task = new PeriodicTask(
      () => this.#pass(),
      (error) => deps.log.warn({ component: 'acme', err: error }, 'ACME pass failed'),
    );
  }

  start(intervalMs: number): void {
    this.#task.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** A pass now (one at a time: a call during a pass shares it). */
  runOnce(): Promise<PassReport> {
    return this.#task.runOnce();
  }

  /** Something changed (a check saw a CNAME): a pass soon, after the one under way if there is one. */
  nudge(): void {
    if (this.#task.started) void this.#task.runOnce({ again: true }).catch(() => undefined);
  }

  async #pass(): Promise<PassReport> {
    const { repo, roles } = this.#d;
    const [domains, grades, stored] = await Promise.all([
      this.#d.domains(),
      repo.recordGrades(roles.map((r) => r.recordKey)),
      repo.hosts(),
    ]);
    const plan = planHosts(wantedHosts(domains, grades, roles), stored);
    const at = this.#d.clock.now().toISOString();
    for (const hostname of plan.remove) {
      await repo.removeHost(hostname);
      this.#d.log.info({ component: 'acme', hostname }, 'host removed');
    }
    const added: string[] = [];
    for (const want of plan.add) {
      const inserted = await repo.insertHost({
        hostname: want.hostname,
        role: want.role,
        domainId: want.domain.id,
        tenantId: want.domain.tenantId,
        at,
      });
      if (inserted) added.push(want.hostname);
    }
    if (added.length > 0 || plan.remove.length > 0) await this.#d.onHostsChanged?.();
    const now = this.#d.clock.now();
    const due = (await repo.hosts()).filter(
      (h) => plan.ready.has(h.hostname) && nextAction(h, now) !== 'wait',
    );
    const worked = new Map<string, IssueOutcome>();
    const queue = [...due];
    const worker = async () => {
      for (let host = queue.shift(); host !== undefined; host = queue.shift()) {
        const outcome = await this.#work(host.hostname);
        if (outcome !== null) worked.set(host.hostname, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#d.concurrency, queue.length) }, worker));
    return { added, removed: plan.remove, worked };
  }

  /** Claims the host, works on it as it stands after the claim, and lets it go. Null when another node holds it. */
  async #work(hostname: string): Promise<IssueOutcome | null> {
    const { repo } = this.#d;
    const now = this.#d.clock.now();
    const until = new Date(now.getTime() + this.#d.leaseMs).toISOString();
    if (!(await repo.claimHost(hostname, this.#owner, until, now.toISOString()))) return null;
    try {
      // Another node may have finished the host between the listing and the claim.
      const host = await repo.host(hostname);
      if (host === null || nextAction(host, this.#d.clock.now()) === 'wait') return null;
      return await this.#d.issuer.work(host);
    } finally {
      await repo.releaseHost(hostname, this.#owner);
    }
  }
}
