import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { DomainRepository, DomainService, RecordPlan, SenderDomain } from '../domains/index.ts';
import type { EventSink } from '../events/index.ts';
import type { DomainCheck, RecordCheck } from './model.ts';
import type { CheckRepository, RecordState, StoredCheck } from './ports.ts';

export interface CheckServiceDeps {
  readonly domains: DomainService;
  readonly domainRepo: DomainRepository;
  readonly repo: CheckRepository;
  readonly events: EventSink;
  /** Runs the DNS check of one plan (checkDomain with the resolver and settings bound). */
  readonly check: (plan: RecordPlan) => Promise<DomainCheck>;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Seconds between checks of a domain, and the jitter as a fraction of it (0.1 = ±10%). */
  readonly intervalSeconds: number;
  readonly jitter: number;
  readonly log: Logger;
  /** Told after each stored check (the edge orders a certificate as soon as a host's CNAME is seen). */
  readonly onChecked?: (domain: SenderDomain) => void;
}

/**
 * Runs checks, keeps the latest result and the per-record states, raises events when a record breaks or is
 * fixed, and marks a domain verified when its DNS shows this tenant's token (DESIGN.md "Security model").
 */
export class CheckService {
  readonly #d: CheckServiceDeps;
  readonly #running = new Map<string, Promise<DomainCheck>>();

  constructor(deps: CheckServiceDeps) {
    this.#d = deps;
  }

  /** Checks the tenant's domain now; another tenant's domain is "not found". */
  async checkNow(tenantId: string, name: string): Promise<DomainCheck> {
    return this.run(await this.#d.domains.get(tenantId, name));
  }

  /** The latest stored check of the tenant's domain, or null if it was never checked. */
  async latest(tenantId: string, name: string): Promise<StoredCheck | null> {
    const domain = await this.#d.domains.get(tenantId, name);
    return this.#d.repo.latest(domain.id);
  }

  /** Checks one domain, once at a time: a second caller during a run shares its result. */
  run(domain: SenderDomain): Promise<DomainCheck> {
    let p = this.#running.get(domain.id);
    if (p === undefined) {
      p = this.#run(domain).finally(() => this.#running.delete(domain.id));
      this.#running.set(domain.id, p);
    }
    return p;
  }

  async #run(domain: SenderDomain): Promise<DomainCheck> {
    const plan = await this.#d.domains.planFor(domain);
    const check = await this.#d.check(plan);
    const now = this.#d.clock.now();
    const previous = new Map((await this.#d.repo.states(domain.id)).map((s) => [s.key, s]));
    const states = check.records.map((r) => this.#nextState(r, previous.get(r.key), check.checkedAt));
    await this.#d.repo.save(
      {
        domainId: domain.id,
        tenantId: domain.tenantId,
        check,
        nextCheckAt: this.#nextDue(now).toISOString(),
      },
      states,
    );
    for (const record of check.records) await this.#emitTransition(domain, record, previous.get(record.key));
    if (check.verification.verified && domain.verifiedAt === null) {
      await this.#d.domainRepo.setVerified(domain.id, check.checkedAt, now.toISOString());
      await this.#d.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: 'checks.domain.verified',
        severity: 'info',
        message: `${domain.name} is verified: ${check.verification.evidence ?? 'its DNS points at this tenant'}.`,
        data: { domain: domain.name, evidence: check.verification.evidence },
      });
    }
    this.#d.log.info(
      {
        component: 'checks',
        domain: domain.name,
        grade: check.grade,
        queries: check.stats.queries,
        ms: check.stats.ms,
      },
      'checked',
    );
    this.#d.onChecked?.(domain);
    return check;
  }

  #nextState(record: RecordCheck, previous: RecordState | undefined, at: string): RecordState {
    // A temperror says nothing about the record: keep what was last seen.
    if (record.grade === 'temperror' && previous !== undefined) return { ...previous, checkedAt: at };
    const error =
      record.remarks.find((m) => m.severity === 'error' || m.severity === 'temperror')?.message ?? null;
    const since = previous !== undefined && previous.status === record.grade ? previous.since : at;
    return { key: record.key, status: record.grade, error, since, checkedAt: at };
  }

  async #emitTransition(
    domain: SenderDomain,
    record: RecordCheck,
    previous: RecordState | undefined,
  ): Promise<void> {
    if (previous === undefined || record.grade === 'temperror') return;
    const wasFine = previous.status === 'perfect' || previous.status === 'ok';
    const isFine = record.grade === 'perfect' || record.grade === 'ok';
    const data = {
      domain: domain.name,
      record: record.key,
      name: record.name,
      grade: record.grade,
      previous: previous.status,
    };
    if (wasFine && record.grade === 'error') {
      const why =
        record.remarks.find((m) => m.severity === 'error')?.message ?? 'it no longer matches the plan';
      await this.#d.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: 'checks.record.broken',
        severity: record.required ? 'critical' : 'warning',
        message: `${record.name} (${record.type}) broke: ${why}`,
        data,
      });
    } else if (previous.status === 'error' && isFine) {
      await this.#d.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: 'checks.record.fixed',
        severity: 'info',
        message: `${record.name} (${record.type}) is fixed.`,
        data,
      });
    }
  }

  /** Next due time: the interval, jittered so that a thousand domains added at once do not all come due at once. */
  #nextDue(now: Date): Date {
    const b = this.#d.random.bytes(4);
    const unit = b.readUInt32BE(0) / 0xffffffff;
    const seconds = this.#d.intervalSeconds * (1 + (unit * 2 - 1) * this.#d.jitter);
    return new Date(now.getTime() + Math.round(seconds * 1000));
  }

  /** Every domain due now, oldest first (never checked first of all). For the scheduler. */
  async due(): Promise<SenderDomain[]> {
    const [all, schedule] = await Promise.all([this.#d.domainRepo.listAll(), this.#d.repo.schedule()]);
    const now = this.#d.clock.now().toISOString();
    return all
      .filter((d) => (schedule.get(d.id) ?? '') <= now)
      .sort((a, b) => (schedule.get(a.id) ?? '').localeCompare(schedule.get(b.id) ?? ''));
  }
}
