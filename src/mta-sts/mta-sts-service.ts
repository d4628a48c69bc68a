import { AppError, type Clock } from '../core/index.ts';
import {
  DEFAULT_MAX_AGE,
  maxAgeOf,
  mtaStsPolicyId,
  mtaStsPolicyText,
  parseMxPattern,
  uncoveredMx,
  type MtaStsMaxAge,
  type MtaStsMode,
  type MtaStsSettings,
  type SenderDomain,
} from '../domains/index.ts';
import type { EventSink } from '../events/index.ts';

/**
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) for a sender domain's inbound mail: switched on with the MX hosts the
 * domain has (looked up, not typed in), started in `testing`, moved to `enforce` only when the TLS reports of the
 * last days show no failed sessions and every MX host is in the policy (or with `force` for the reports), and
 * withdrawn through `none` (RFC 8461 §8.3). The MX hosts are looked up again by `recheck`, which raises an event
 * when one is not covered by the policy.
 */

/** The domain's MX hosts as the DNS gives them now (RFC 5321 §5.1), or why they are not known. */
export type MxLookup = (
  domain: string,
) => Promise<
  { kind: 'hosts'; hosts: readonly string[] } | { kind: 'none' } | { kind: 'error'; reason: string }
>;

/** The TLS-RPT figures (RFC 8460 §4.4 summaries) of a domain's reports between two days, both included. */
export type TlsEvidence = (
  domainId: string,
  fromDay: string,
  toDay: string,
) => Promise<{ readonly reports: number; readonly successful: number; readonly failed: number }>;

export interface MtaStsServiceDeps {
  readonly domains: {
    get(tenantId: string, name: string): Promise<SenderDomain>;
    setMtaSts(domain: SenderDomain, mtaSts: MtaStsSettings | null): Promise<SenderDomain>;
    listAll(): Promise<SenderDomain[]>;
  };
  readonly mx: MxLookup;
  readonly tlsEvidence: TlsEvidence;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly maxAge: MtaStsMaxAge;
  /** Days of TLS reports `enforce` looks at. */
  readonly evidenceDays: number;
}

export interface MtaStsView {
  readonly domain: string;
  readonly enabled: boolean;
  readonly mode: MtaStsMode | null;
  readonly mx: readonly string[];
  readonly policyHost: string;
  readonly policyUrl: string;
  /** RFC 8461 §3.1 id of the policy served now. */
  readonly policyId: string | null;
  readonly maxAge: number | null;
  readonly policy: string | null;
  readonly checkedMx: readonly string[];
  readonly checkedAt: string | null;
  /** MX hosts the last look-up found that no pattern covers: `enforce` is refused while there are any. */
  readonly uncoveredMx: readonly string[];
}

const DAY_MS = 86_400_000;

export class MtaStsService {
  readonly #d: MtaStsServiceDeps;

  constructor(deps: MtaStsServiceDeps) {
    this.#d = deps;
  }

  async status(tenantId: string, name: string): Promise<MtaStsView> {
    return this.#view(await this.#d.domains.get(tenantId, name));
  }

  /**
   * Switches MTA-STS on in `testing` (or changes the MX patterns). Without `mx`, the policy lists the MX hosts
   * the DNS has now; with it, every MX host must still be covered.
   */
  async enable(
    tenantId: string,
    name: string,
    options: { mx?: readonly string[] } = {},
  ): Promise<MtaStsView> {
    const domain = await this.#d.domains.get(tenantId, name);
    const found = await this.#lookup(domain);
    if (found.kind === 'error')
      throw new AppError(
        'unavailable',
        `The MX records of ${domain.name} could not be looked up: ${found.reason}. Try again.`,
      );
    if (found.kind === 'none' || found.hosts.length === 0)
      throw new AppError(
        'validation_failed',
        `${domain.name} has no MX records: MTA-STS protects mail to a domain's MX hosts (RFC 8461 §4), so there is nothing to protect.`,
        [{ path: 'mx', message: 'no MX records', reason: 'no_mx' }],
      );
    let patterns: string[];
    if (options.mx === undefined || options.mx.length === 0) patterns = [...new Set(found.hosts)];
    else {
      const parsed = options.mx.map((m) => parseMxPattern(m));
      const problems = parsed.flatMap((p, i) => (p.ok ? [] : [{ path: `mx.${i}`, message: p.error }]));
      if (problems.length > 0)
        throw new AppError('validation_failed', 'The MX patterns are invalid.', problems);
      patterns = [...new Set(parsed.map((p) => (p.ok ? p.value : '')))];
    }
    const uncovered = uncoveredMx(found.hosts, patterns);
    if (uncovered.length > 0)
      throw new AppError(
        'validation_failed',
        `The policy would not cover ${uncovered.join(', ')}, an MX host of ${domain.name}: senders that enforce it would refuse to deliver there (RFC 8461 §4.1).`,
        uncovered.map((h) => ({ path: 'mx', message: `${h} is not covered`, reason: 'mx_not_covered' })),
      );
    const current = domain.settings.mtaSts ?? null;
    const settings: MtaStsSettings = {
      mode: current?.mode === 'enforce' ? 'enforce' : 'testing',
      mx: patterns,
      checkedMx: [...found.hosts],
      checkedAt: this.#d.clock.now().toISOString(),
    };
    return this.#view(await this.#d.domains.setMtaSts(domain, settings));
  }

  /**
   * `testing` and `none` are always allowed (they only relax). `enforce` is refused while an MX host is not in
   * the policy, and needs `force` when the TLS reports give no evidence that senders' TLS sessions succeed.
   */
  async setMode(
    tenantId: string,
    name: string,
    mode: MtaStsMode,
    options: { force?: boolean } = {},
  ): Promise<MtaStsView> {
    const domain = await this.#d.domains.get(tenantId, name);
    const current = domain.settings.mtaSts;
    if (current == null)
      throw new AppError(
        'conflict',
        `MTA-STS is not on for ${domain.name}: enable it first (it starts in testing).`,
      );
    let next: MtaStsSettings = { ...current, mode };
    if (mode === 'enforce' && current.mode !== 'enforce') {
      next = await this.#refreshed(domain, next);
      const uncovered = uncoveredMx(next.checkedMx, next.mx);
      if (uncovered.length > 0)
        throw new AppError(
          'conflict',
          `${domain.name} cannot enforce MTA-STS: its MX host ${uncovered.join(', ')} is not in the policy, and senders would refuse to deliver there. Enable again to take the MX hosts in.`,
          uncovered.map((h) => ({ path: 'mx', message: `${h} is not covered`, reason: 'mx_not_covered' })),
        );
      if (options.force !== true) await this.#guard(domain);
    }
    return this.#view(await this.#d.domains.setMtaSts(domain, next));
  }

  /**
   * Switches MTA-STS off: the records and the policy host go from the plan. From `enforce` it must go through
   * `none` first (RFC 8461 §8.3), or senders keep a cached enforced policy for its max_age with nothing to renew it.
   */
  async disable(tenantId: string, name: string, options: { force?: boolean } = {}): Promise<MtaStsView> {
    const domain = await this.#d.domains.get(tenantId, name);
    if (domain.settings.mtaSts?.mode === 'enforce' && options.force !== true)
      throw new AppError(
        'confirmation_required',
        `${domain.name} enforces MTA-STS: set the mode to none first and wait the policy's max_age (RFC 8461 §8.3), or force.`,
        [{ path: 'force', message: 'the policy is enforced', reason: 'enforced_policy' }],
      );
    return this.#view(await this.#d.domains.setMtaSts(domain, null));
  }

  /** Looks up the MX hosts of every domain with MTA-STS again; an MX host outside the policy raises an event. */
  async recheck(): Promise<number> {
    let checked = 0;
    for (const domain of await this.#d.domains.listAll()) {
      const current = domain.settings.mtaSts;
      if (current == null) continue;
      const next = await this.#refreshed(domain, current);
      if (next === current) continue;
      checked++;
      const before = new Set(uncoveredMx(current.checkedMx, current.mx));
      const uncovered = uncoveredMx(next.checkedMx, next.mx);
      await this.#d.domains.setMtaSts(domain, next);
      const fresh = uncovered.filter((h) => !before.has(h));
      if (fresh.length > 0)
        await this.#d.events.emit({
          tenantId: domain.tenantId,
          domainId: domain.id,
          type: 'mta-sts.mx.uncovered',
          severity: current.mode === 'enforce' ? 'critical' : 'warning',
          message: `${domain.name} has an MX host that its MTA-STS policy does not list: ${fresh.join(', ')}. ${current.mode === 'enforce' ? 'Senders that enforce the policy refuse to deliver there.' : 'It must be added before the policy can be enforced.'} Run mta-sts enable again to take the MX hosts in.`,
          data: { domain: domain.name, uncovered: fresh, mode: current.mode, mx: next.mx },
        });
    }
    return checked;
  }

  /** The settings with the MX hosts looked up now; the same object when the look-up failed. */
  async #refreshed(domain: SenderDomain, current: MtaStsSettings): Promise<MtaStsSettings> {
    const found = await this.#lookup(domain);
    if (found.kind === 'error') return current;
    return {
      ...current,
      checkedMx: found.kind === 'none' ? [] : [...found.hosts],
      checkedAt: this.#d.clock.now().toISOString(),
    };
  }

  async #lookup(domain: SenderDomain) {
    return this.#d.mx(domain.name);
  }

  async #guard(domain: SenderDomain): Promise<void> {
    const now = this.#d.clock.now();
    const from = new Date(now.getTime() - this.#d.evidenceDays * DAY_MS).toISOString().slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    const e = await this.#d.tlsEvidence(domain.id, from, to);
    const risks: Array<{ reason: string; message: string }> = [];
    if (e.reports === 0 || e.successful + e.failed === 0)
      risks.push({
        reason: 'no_tls_reports',
        message: `no TLS reports (RFC 8460) about ${domain.name} came in the last ${this.#d.evidenceDays} days, so nothing shows that senders reach its MX hosts over valid TLS`,
      });
    if (e.failed > 0)
      risks.push({
        reason: 'tls_failures',
        message: `the TLS reports of the last ${this.#d.evidenceDays} days count ${e.failed.toLocaleString('en')} failed sessions (of ${(e.failed + e.successful).toLocaleString('en')}): with enforce, senders would not deliver that mail`,
      });
    if (risks.length > 0)
      throw new AppError(
        'confirmation_required',
        `Enforcing MTA-STS for ${domain.name} needs an explicit confirmation: ${risks.map((r) => r.message).join('; ')}.`,
        risks.map((r) => ({ path: 'force', message: r.message, reason: r.reason })),
      );
  }

  #view(domain: SenderDomain): MtaStsView {
    const s = domain.settings.mtaSts ?? null;
    const host = `mta-sts.${domain.name}`;
    const maxAge = this.#d.maxAge ?? DEFAULT_MAX_AGE;
    const policy = s === null ? null : mtaStsPolicyText(s, maxAge);
    return {
      domain: domain.name,
      enabled: s !== null,
      mode: s?.mode ?? null,
      mx: s?.mx ?? [],
      policyHost: host,
      policyUrl: `https://${host}/.well-known/mta-sts.txt`,
      policyId: policy === null ? null : mtaStsPolicyId(policy),
      maxAge: s === null ? null : maxAgeOf(s.mode, maxAge),
      policy,
      checkedMx: s?.checkedMx ?? [],
      checkedAt: s?.checkedAt ?? null,
      uncoveredMx: s === null ? [] : uncoveredMx(s.checkedMx, s.mx),
    };
  }
}
