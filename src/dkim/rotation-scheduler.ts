import { PeriodicTask, turnEvery, type Logger } from '../core/index.ts';
import {
  selectorsOf,
  type DomainRepository,
  type PlatformNames,
  type SenderDomain,
} from '../domains/index.ts';
import type { KeyGenerator } from './key-material.ts';
import { publishKey, type PublisherDeps } from './key-publisher.ts';
import type { DkimKey, KeyAlgorithm } from './model.ts';
import type { PolicyBook } from './policy-book.ts';
import type { KeyUpdate, KeyVisibilityProbe } from './ports.ts';
import { planRotation, type Notice, type Transition } from './rotation-planner.ts';
import type { RotationPolicy } from './rotation-policy.ts';

export interface SchedulerDeps extends PublisherDeps {
  readonly domains: Pick<DomainRepository, 'listAll'>;
  readonly probe: KeyVisibilityProbe;
  readonly keygen: KeyGenerator;
  readonly policies: PolicyBook;
  readonly platform: PlatformNames;
  readonly ed25519Selectors: readonly string[];
  readonly log: Logger;
}

export interface TickReport {
  readonly at: string;
  readonly domains: number;
  readonly transitions: number;
  readonly published: number;
  readonly notices: number;
  readonly failures: number;
}

const NOTICE_EVENT: Record<Notice['type'], string> = {
  'awaiting-visibility': 'dkim.key.awaiting-visibility',
  'rotation-blocked': 'dkim.rotation.blocked',
  aging: 'dkim.key.aging',
  'no-usable-key': 'dkim.signing.unavailable',
};

/** The algorithms a domain signs with, and the selectors of each series. */
export function seriesOf(
  domain: SenderDomain,
  platform: PlatformNames,
  ed25519Selectors: readonly string[],
): Array<{ algorithm: KeyAlgorithm; selectors: readonly string[] }> {
  return [
    { algorithm: 'rsa', selectors: selectorsOf({ settings: domain.settings, platform }) },
    { algorithm: 'ed25519', selectors: ed25519Selectors },
  ];
}

/**
 * Drives the pure planner: every tick it reads every domain's keys in one query, asks the probe about pending
 * keys whose lead time has passed, plans each series, and applies the transitions (one transaction per domain,
 * with a `changes` row so the DNS server re-serves the records). Time comes from the injected clock only.
 */
export class RotationScheduler {
  readonly #deps: SchedulerDeps;
  readonly #task: PeriodicTask<TickReport>;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    this.#task = new PeriodicTask(
      () => this.#tick(),
      (error) => deps.log.error({ component: 'dkim', err: error }, 'rotation pass failed'),
    );
  }

  /** One pass over every domain. Concurrent calls share the pass in progress. */
  runOnce(): Promise<TickReport> {
    return this.#task.runOnce();
  }

  /** Passes every `intervalMs`; with a `gate` (the cluster's job lease), only while it says yes. */
  start(intervalMs: number, gate?: () => Promise<boolean>): void {
    this.#task.start(intervalMs, gate);
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  async #tick(): Promise<TickReport> {
    const d = this.#deps;
    const now = d.clock.now();
    const [domains, keys, overrides, notices] = await Promise.all([
      d.domains.listAll(),
      d.repo.listInZone(),
      d.repo.allPolicyOverrides(),
      d.repo.lastNotices(),
    ]);
    const byDomain = new Map<string, DkimKey[]>();
    for (const k of keys) {
      const list = byDomain.get(k.domainId);
      if (list === undefined) byDomain.set(k.domainId, [k]);
      else list.push(k);
    }
    const report = {
      at: now.toISOString(),
      domains: domains.length,
      transitions: 0,
      published: 0,
      notices: 0,
      failures: 0,
    };
    const turn = turnEvery(64);
    for (const domain of domains) {
      await turn(); // SQLite reads never yield (core/event-loop-turns.ts)
      try {
        const policy = d.policies.resolve(overrides.get(domain.id) ?? {});
        const outcome = await this.#domainTick(
          domain,
          byDomain.get(domain.id) ?? [],
          policy,
          notices.get(domain.id),
          now,
        );
        report.transitions += outcome.transitions;
        report.published += outcome.published;
        report.notices += outcome.notices;
      } catch (error) {
        report.failures++;
        d.log.error({ component: 'dkim', domain: domain.name, err: error }, 'rotation failed for a domain');
      }
    }
    return report;
  }

  async #domainTick(
    domain: SenderDomain,
    keys: readonly DkimKey[],
    policy: RotationPolicy,
    lastNotices: ReadonlyMap<string, string> | undefined,
    now: Date,
  ) {
    const d = this.#deps;
    const at = now.toISOString();
    const outcome = { transitions: 0, published: 0, notices: 0 };
    for (const { algorithm, selectors } of seriesOf(domain, d.platform, d.ed25519Selectors)) {
      const series = keys.filter((k) => k.algorithm === algorithm);
      const enabled = algorithm === 'rsa' || policy.ed25519;
      if (!enabled && series.every((k) => k.state === 'revoked')) continue;
      const visible = new Set<string>();
      for (const p of series) {
        if (p.state !== 'pending' || p.visibleAt !== null) continue;
        if (now.getTime() < Date.parse(p.createdAt) + policy.leadTimeMs) continue;
        const seen = await d.probe.check(domain.name, p.selector, p.publicKey);
        if (seen.status === 'visible') visible.add(p.id);
        else
          d.log.info(
            { component: 'dkim', domain: domain.name, selector: p.selector, ...seen },
            'new key not visible yet',
          );
      }
      const plan = planRotation({ algorithm, selectors, keys: series, enabled }, policy, now, {
        visible,
        lastNotices: lastNotices ?? new Map(),
      });
      const updates = plan.transitions.flatMap((t) => updateOf(t, at, visible));
      await d.repo.update(domain.id, domain.tenantId, updates, at);
      if (updates.length > 0) d.onChange(domain.id);
      outcome.transitions += updates.length;
      for (const t of plan.transitions) await this.#announce(domain, series, t, policy, now);
      for (const t of plan.transitions) {
        if (t.kind !== 'publish') continue;
        const material = await d.keygen.generate(algorithm, algorithm === 'rsa' ? policy.rsaBits : 256);
        const inZone = await d.repo.listInZoneByDomain(domain.id);
        await publishKey(d, domain, material, {
          selector: t.selector,
          origin: 'generated',
          warnings: [],
          inZone,
          reason: t.reason,
        });
        outcome.published++;
      }
      for (const n of plan.notices) {
        await d.events.emit({
          tenantId: domain.tenantId,
          domainId: domain.id,
          type: NOTICE_EVENT[n.type],
          severity: n.severity,
          message: `${domain.name}: ${n.message}`,
          data: { algorithm, keyId: n.keyId },
        });
        await d.repo.recordNotice(domain.id, n.key, at);
        outcome.notices++;
      }
    }
    return outcome;
  }

  async #announce(
    domain: SenderDomain,
    series: readonly DkimKey[],
    t: Transition,
    policy: RotationPolicy,
    now: Date,
  ) {
    if (t.kind === 'publish') return;
    const key = series.find((k) => k.id === t.keyId);
    if (key === undefined) return;
    const until = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const text = {
      activate: `now signs mail${t.kind === 'activate' && t.via === 'override' ? ' (activated by an operator without the visibility check)' : ''}`,
      'start-retiring': `co-signs beside the new key until ${until(policy.overlapMs)}`,
      retire: `no longer signs; it stays published until ${until(policy.retentionMs)} so mail in transit still verifies`,
      revoke: `is revoked (${t.kind === 'revoke' ? t.reason : ''}): published with an empty p=; its selector is free`,
    }[t.kind];
    const type = {
      activate: 'dkim.key.activated',
      'start-retiring': 'dkim.key.retiring',
      retire: 'dkim.key.retired',
      revoke: 'dkim.key.revoked',
    }[t.kind];
    await this.#deps.events.emit({
      tenantId: domain.tenantId,
      domainId: domain.id,
      type,
      severity: 'info',
      message: `${domain.name}: the ${key.algorithm} key in selector ${key.selector} (${key.fingerprint.slice(0, 16)}) ${text}.`,
      data: { keyId: key.id, selector: key.selector, algorithm: key.algorithm },
    });
  }
}

/** The store update a planned transition makes. */
export function updateOf(t: Transition, at: string, visible: ReadonlySet<string>): KeyUpdate[] {
  switch (t.kind) {
    case 'publish':
      return [];
    case 'activate':
      return [
        {
          id: t.keyId,
          changes: { state: 'active', activatedAt: at, ...(visible.has(t.keyId) ? { visibleAt: at } : {}) },
        },
      ];
    case 'start-retiring':
      return [{ id: t.keyId, changes: { state: 'retiring', retiringAt: at } }];
    case 'retire':
      return [{ id: t.keyId, changes: { state: 'retired', retiredAt: at } }];
    case 'revoke':
      return [{ id: t.keyId, changes: { state: 'revoked', revokedAt: at, revokeReason: t.reason } }];
  }
}
