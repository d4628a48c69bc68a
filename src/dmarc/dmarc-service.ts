import { AppError, randomBase32, turnEvery, type Clock, type RandomSource } from '../core/index.ts';
import type { PublicSuffixList, SenderDomain } from '../domains/index.ts';
import type { EventSink } from '../events/index.ts';
import { DEFAULT_AUTOPILOT, decide, type AutopilotDecision } from './autopilot.ts';
import { appliedPolicy, type AppliedPolicy } from './dmarc-reading.ts';
import { buildDmarcRecord, DEFAULT_POLICY, type DmarcPolicy } from './dmarc-record.ts';
import type { DmarcEvidenceSource, WindowEvidence } from './evidence.ts';
import { policyImpact, type PolicyImpact } from './impact.ts';
import { allowsBimi, LADDER, LAST_STEP, stepAt, type LadderStep } from './ladder.ts';
import { GUARD_WINDOW_DAYS, stepRisks } from './step-guard.ts';
import { dmarcPolicyInput } from './policy-input.ts';
import type {
  DecisionActor,
  DmarcDecision,
  DmarcRepository,
  ReportAuthorizationProbe,
  StoredDmarcPolicy,
} from './ports.ts';

export interface DmarcServiceDeps {
  readonly repo: DmarcRepository;
  readonly domains: {
    get(tenantId: string, name: string): Promise<SenderDomain>;
    byId(domainId: string): Promise<SenderDomain | null>;
  };
  readonly evidence: DmarcEvidenceSource | null;
  readonly authorization: ReportAuthorizationProbe;
  readonly publicSuffixes: PublicSuffixList;
  readonly reportsHost: string;
  readonly events: EventSink | null;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/** Everything the API, CLI and dashboard show about a domain's DMARC. */
export interface DmarcView {
  readonly domain: string;
  readonly step: LadderStep;
  readonly record: string;
  readonly readings: { readonly rfc7489: AppliedPolicy | null; readonly rfc9989: AppliedPolicy | null };
  readonly policy: DmarcPolicy;
  readonly bimi: {
    readonly configured: boolean;
    readonly published: boolean;
    readonly record: string | null;
  };
  readonly autopilot: StoredDmarcPolicy['autopilot'];
  readonly schedule: StoredDmarcPolicy['schedule'];
  readonly ladder: readonly LadderStep[];
  readonly decisions: readonly DmarcDecision[];
}

const DAY = 86_400_000;

export class DmarcService {
  readonly #deps: DmarcServiceDeps;

  constructor(deps: DmarcServiceDeps) {
    this.#deps = deps;
  }

  /** The DMARC and BIMI records to publish for a domain now (the record plan and the DNS server ask this). */
  async recordsFor(domain: SenderDomain): Promise<{ dmarc: string; bimi?: string }> {
    return this.#recordsOf(domain, await this.#stored(domain));
  }

  /** `recordsFor` of many domains with one query (a full zone build). */
  async recordsForMany(domains: readonly SenderDomain[]): Promise<Array<{ dmarc: string; bimi?: string }>> {
    const stored = new Map(
      (await this.#deps.repo.findMany(domains.map((d) => d.id))).map((p) => [p.domainId, p]),
    );
    return domains.map((d) => this.#recordsOf(d, stored.get(d.id) ?? this.#defaultPolicy(d)));
  }

  #recordsOf(domain: SenderDomain, stored: StoredDmarcPolicy): { dmarc: string; bimi?: string } {
    const dmarc = buildDmarcRecord(stored.policy, this.#rua(domain));
    const bimi = bimiRecord(stored.policy);
    return bimi !== null && allowsBimi(stepAt(stored.policy.step)) ? { dmarc, bimi } : { dmarc };
  }

  async show(tenantId: string, name: string): Promise<DmarcView> {
    const domain = await this.#deps.domains.get(tenantId, name);
    const stored = await this.#stored(domain);
    const record = buildDmarcRecord(stored.policy, this.#rua(domain));
    const bimi = bimiRecord(stored.policy);
    return {
      domain: domain.name,
      step: stepAt(stored.policy.step),
      record,
      readings: { rfc7489: appliedPolicy(record, 'rfc7489'), rfc9989: appliedPolicy(record, 'rfc9989') },
      policy: stored.policy,
      bimi: {
        configured: bimi !== null,
        published: bimi !== null && allowsBimi(stepAt(stored.policy.step)),
        record: bimi,
      },
      autopilot: stored.autopilot,
      schedule: stored.schedule,
      ladder: LADDER,
      decisions: await this.#deps.repo.decisions(tenantId, domain.id, 50),
    };
  }

  /**
   * Moves the ladder by hand: to a step, or one forward or back. A risky step up (see step-guard.ts) is refused
   * with `confirmation_required`, each reason in the details, unless `force` says the person saw them.
   */
  async step(
    tenantId: string,
    name: string,
    target: number | 'forward' | 'back',
    reason = '',
    force = false,
  ): Promise<DmarcView> {
    const domain = await this.#deps.domains.get(tenantId, name);
    const stored = await this.#stored(domain);
    const from = stored.policy.step;
    const to = target === 'forward' ? from + 1 : target === 'back' ? from - 1 : target;
    if (!Number.isInteger(to) || to < 0 || to > LAST_STEP) {
      throw new AppError(
        'validation_failed',
        `There is no step ${to}: the ladder runs from 0 (monitor) to ${LAST_STEP} (reject 100%).`,
      );
    }
    if (to > from && !force) await this.#guard(domain, from, to);
    if (to !== from)
      await this.#apply(
        domain,
        stored,
        to,
        'user',
        'set',
        reason || `Set by hand to ${stepAt(to).label}.`,
        [],
      );
    return this.show(tenantId, name);
  }

  async #guard(domain: SenderDomain, from: number, to: number): Promise<void> {
    const now = this.#deps.clock.now();
    const window =
      this.#deps.evidence === null
        ? null
        : await this.#window(domain.id, new Date(now.getTime() - GUARD_WINDOW_DAYS * DAY), now);
    const risks = stepRisks({
      domain: domain.name,
      verified: domain.verifiedAt !== null,
      from: stepAt(from),
      to: stepAt(to),
      window,
      impact: window === null ? null : policyImpact(to, window),
    });
    if (risks.length > 0)
      throw new AppError(
        'confirmation_required',
        `Moving ${domain.name} up to ${stepAt(to).label} needs an explicit confirmation: ${risks.map((r) => r.message).join('; ')}.`,
        risks.map((r) => ({ path: 'force', message: r.message, reason: r.reason })),
      );
  }

  async update(tenantId: string, name: string, input: unknown): Promise<DmarcView> {
    const parsed = dmarcPolicyInput.safeParse(input ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      throw new AppError('validation_failed', 'The DMARC settings are invalid.', details);
    }
    const domain = await this.#deps.domains.get(tenantId, name);
    const stored = await this.#stored(domain);
    const v = parsed.data;
    const { sp: _sp, np: _np, bimi: _bimi, ...kept } = stored.policy;
    const sp = v.sp === undefined ? stored.policy.sp : (v.sp ?? undefined);
    const np = v.np === undefined ? stored.policy.np : (v.np ?? undefined);
    const bimi = v.bimi === undefined ? stored.policy.bimi : (v.bimi ?? undefined);
    const policy: DmarcPolicy = {
      ...kept,
      ...(sp !== undefined ? { sp } : {}),
      ...(np !== undefined ? { np } : {}),
      ...(bimi !== undefined ? { bimi } : {}),
      adkim: v.adkim ?? stored.policy.adkim,
      aspf: v.aspf ?? stored.policy.aspf,
      ...(v.fo !== undefined ? { fo: v.fo } : {}),
      extraRua: v.extraRua ? v.extraRua.map(mailto) : stored.policy.extraRua,
      ruf: v.ruf ? v.ruf.map(mailto) : stored.policy.ruf,
    };
    if (v.extraRua) await this.#checkAuthorizations(domain, policy.extraRua);
    if (v.ruf) await this.#checkAuthorizations(domain, policy.ruf);
    const schedule = v.schedule ? [...v.schedule].sort((a, b) => a.at.localeCompare(b.at)) : stored.schedule;
    const now = this.#now();
    await this.#deps.repo.save(
      { ...stored, policy, autopilot: { ...stored.autopilot, ...v.autopilot }, schedule, updatedAt: now },
      null,
    );
    return this.show(tenantId, name);
  }

  /** What the next step (or `step`) would have done to the failing mail of the last `days` days. */
  async impact(
    tenantId: string,
    name: string,
    days: number,
    step?: number,
  ): Promise<PolicyImpact & { reportsAvailable: boolean }> {
    const domain = await this.#deps.domains.get(tenantId, name);
    const stored = await this.#stored(domain);
    const target = step ?? Math.min(stored.policy.step + 1, LAST_STEP);
    const to = this.#deps.clock.now();
    const window = await this.#window(domain.id, new Date(to.getTime() - days * DAY), to);
    return { ...policyImpact(target, window), reportsAvailable: this.#deps.evidence !== null };
  }

  /** The scheduler's heartbeat: apply due calendar steps, then let the autopilot decide. Returns what it did. */
  async tick(): Promise<Array<{ domainId: string; decision: string }>> {
    const done: Array<{ domainId: string; decision: string }> = [];
    const now = this.#deps.clock.now();
    const turn = turnEvery(16);
    for (const stored of await this.#deps.repo.listAutomated()) {
      await turn(); // SQLite reads never yield (core/event-loop-turns.ts)
      const domain = await this.#deps.domains.byId(stored.domainId);
      if (domain === null) continue;
      const due = stored.schedule.filter((s) => Date.parse(s.at) <= now.getTime());
      if (due.length > 0) {
        const last = due[due.length - 1]!;
        const rest = stored.schedule.filter((s) => Date.parse(s.at) > now.getTime());
        const next = { ...stored, schedule: rest };
        if (last.step === stored.policy.step) {
          // Already there (set by hand, or by an earlier entry): the entry is used up, and nothing changed. A
          // "change" would restart the autopilot's window at this step and raise an event for nothing.
          await this.#deps.repo.save(next, null);
          done.push({ domainId: domain.id, decision: `schedule: already at ${last.step}` });
          continue;
        }
        await this.#apply(
          domain,
          next,
          last.step,
          'schedule',
          'set',
          `Calendar: ${stepAt(last.step).label} from ${last.at}.`,
          [],
        );
        done.push({ domainId: domain.id, decision: `schedule → ${last.step}` });
        continue;
      }
      if (!stored.autopilot.enabled || this.#deps.evidence === null) continue;
      const decision = await this.#decide(domain, stored, now);
      if (decision.toStep !== stored.policy.step) {
        await this.#apply(
          domain,
          stored,
          decision.toStep,
          'autopilot',
          decision.action,
          decision.reason,
          decision.checks,
        );
      } else if (decision.action === 'hold') {
        const [last] = await this.#deps.repo.decisions(domain.tenantId, domain.id, 1);
        // One stored hold per changed reason, not one per tick.
        if (last?.reason !== decision.reason)
          await this.#deps.repo.recordDecision(this.#decision(domain, 'autopilot', decision));
      }
      done.push({ domainId: domain.id, decision: decision.action });
    }
    return done;
  }

  async #decide(domain: SenderDomain, stored: StoredDmarcPolicy, now: Date): Promise<AutopilotDecision> {
    const s = { ...DEFAULT_AUTOPILOT, ...stored.autopilot };
    const recentFrom = new Date(now.getTime() - s.rollbackDays * DAY);
    const windowFrom = new Date(now.getTime() - s.windowDays * DAY);
    const [previous, recent] = await Promise.all([
      this.#window(domain.id, windowFrom, recentFrom, true),
      this.#window(domain.id, recentFrom, now, true),
    ]);
    return decide({
      step: stored.policy.step,
      lastChangeAt: stored.stepChangedAt,
      now: now.toISOString(),
      previous,
      recent,
      settings: s,
    });
  }

  async #apply(
    domain: SenderDomain,
    stored: StoredDmarcPolicy,
    to: number,
    actor: DecisionActor,
    action: DmarcDecision['action'],
    reason: string,
    checks: DmarcDecision['checks'],
  ): Promise<void> {
    const now = this.#now();
    const decision = this.#decision(domain, actor, {
      action,
      fromStep: stored.policy.step,
      toStep: to,
      reason,
      checks,
    });
    await this.#deps.repo.save(
      { ...stored, policy: { ...stored.policy, step: to }, stepChangedAt: now, updatedAt: now },
      decision,
    );
    await this.#deps.events?.emit({
      tenantId: domain.tenantId,
      domainId: domain.id,
      type: action === 'rollback' ? 'dmarc.step.rolled-back' : 'dmarc.step.changed',
      severity: action === 'rollback' ? 'warning' : 'info',
      message: `${domain.name}: DMARC ${stepAt(stored.policy.step).label} → ${stepAt(to).label} (${actor}). ${reason}`,
      data: { from: stored.policy.step, to, actor },
    });
  }

  #decision(
    domain: SenderDomain,
    actor: DecisionActor,
    d: Pick<DmarcDecision, 'action' | 'fromStep' | 'toStep' | 'reason' | 'checks'>,
  ): DmarcDecision {
    return {
      id: `dmd_${randomBase32(this.#deps.random, 16)}`,
      tenantId: domain.tenantId,
      domainId: domain.id,
      at: this.#now(),
      actor,
      ...d,
    };
  }

  /**
   * The reports of a window. The autopilot decides alone, so it reads verified reports only (`verifiedOnly`); a
   * person's step guard and impact preview read every report, where a forged one can only add a warning.
   */
  async #window(domainId: string, from: Date, to: Date, verifiedOnly = false): Promise<WindowEvidence> {
    if (this.#deps.evidence === null)
      return { from: from.toISOString(), to: to.toISOString(), reporters: [], sources: [] };
    return this.#deps.evidence.evidence(domainId, from, to, { verifiedOnly });
  }

  async #stored(domain: SenderDomain): Promise<StoredDmarcPolicy> {
    return (await this.#deps.repo.find(domain.id)) ?? this.#defaultPolicy(domain);
  }

  #defaultPolicy(domain: SenderDomain): StoredDmarcPolicy {
    return {
      domainId: domain.id,
      tenantId: domain.tenantId,
      policy: DEFAULT_POLICY,
      autopilot: DEFAULT_AUTOPILOT,
      schedule: [],
      stepChangedAt: domain.createdAt,
      updatedAt: domain.createdAt,
    };
  }

  #rua(domain: SenderDomain): string {
    return `mailto:${domain.token}@${this.#deps.reportsHost}`;
  }

  /** RFC 7489 §7.1: a report address outside the sender's organisational domain must be authorised by its domain. */
  async #checkAuthorizations(domain: SenderDomain, uris: readonly string[]): Promise<void> {
    const org = (n: string) => this.#deps.publicSuffixes.registrableDomain(n) ?? n;
    for (const uri of uris) {
      const reportDomain = uri
        .replace(/^mailto:/i, '')
        .replace(/!.*$/, '')
        .split('@')[1]!
        .toLowerCase();
      if (org(reportDomain) === org(domain.name)) continue;
      const outcome = await this.#deps.authorization.check(domain.name, reportDomain);
      if (outcome === 'authorized') continue;
      const record = `${domain.name}._report._dmarc.${reportDomain} TXT "v=DMARC1"`;
      if (outcome === 'unknown') {
        throw new AppError(
          'unavailable',
          `Could not look up whether ${reportDomain} accepts reports for ${domain.name} (${record}); try again.`,
        );
      }
      throw new AppError(
        'validation_failed',
        `${reportDomain} has not authorised DMARC reports about ${domain.name}: it must publish ${record} (RFC 7489 §7.1), or receivers will drop them.`,
        [{ path: 'extraRua', message: `missing ${record}`, reason: 'rua_not_authorized' }],
      );
    }
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }
}

function mailto(uri: string): string {
  return /^mailto:/i.test(uri) ? uri : `mailto:${uri}`;
}

/** BIMI assertion record (draft-brand-indicators-for-message-identification §4.2): `v=BIMI1; l=...; a=...`. */
function bimiRecord(policy: DmarcPolicy): string | null {
  if (policy.bimi === undefined) return null;
  return `v=BIMI1; l=${policy.bimi.location}; a=${policy.bimi.authority ?? ''}`;
}
