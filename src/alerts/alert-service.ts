/**
 * Alerts as a service: the tenant's settings, the periodic pass that runs the detector over every domain and
 * turns what is new into one event each (and what cleared into one `alerts.resolved`), the digest e-mail, and the
 * reconciliation view. The pass runs on one node at a time (a cluster job lease, given to `start` as its gate);
 * the stored state makes a condition fire once however often, and on however many nodes, it is seen.
 */
import { AppError, PeriodicTask, turnEvery, type Clock, type Logger } from '../core/index.ts';
import type { EmailTransport, EventSink, PlatformEvent } from '../events/index.ts';
import type { SourceClassifier, VerifiedOnly } from '../reports/index.ts';
import {
  addDays,
  detectAlerts,
  detectionWindow,
  type DetectorInput,
  type SourceDayFigures,
  type SourceIdentity,
} from './detector.ts';
import { renderDigest } from './digest.ts';
import {
  alertSettingsInput,
  DEFAULT_ALERT_SETTINGS,
  PERMANENT_KINDS,
  type AlertCondition,
  type AlertSettings,
} from './model.ts';
import type { AlertDomain, AlertFacts, AlertRepository, StoredAlertSettings } from './ports.ts';
import { reconcile, type Reconciliation } from './reconciliation.ts';

export interface AlertServiceDeps {
  readonly repo: AlertRepository;
  readonly facts: AlertFacts;
  /**
   * Days during which reports stored before reporter verification existed still count (`reports.legacyTrustDays`),
   * as for the DMARC autopilot's evidence.
   */
  readonly legacyTrustDays: number;
  readonly events: EventSink;
  /** The tenant's events since a time (the digest's content) and where its e-mail goes. */
  readonly notifications: {
    list(tenantId: string, query: { since: string; limit: number }): Promise<PlatformEvent[]>;
    emailTo(tenantId: string): Promise<readonly string[]>;
    tenantName(tenantId: string): Promise<string>;
  };
  /** The notification mail path (events.email); null when e-mail is not configured: no digest is sent. */
  readonly email: EmailTransport | null;
  /** Which addresses are the platform's own (platform.egressIps). */
  readonly classifier: SourceClassifier;
  /** The organisational domain of a host name, to group a sender's addresses by its reverse names. */
  readonly organizationalDomain: (name: string) => string;
  readonly findDomain: (tenantId: string, name: string) => Promise<{ id: string; name: string }>;
  readonly dashboardUrl: string;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface AlertPassResult {
  readonly domains: number;
  readonly fired: number;
  readonly resolved: number;
  readonly digests: number;
}

const DAY_MS = 86_400_000;

export class AlertService {
  readonly #d: AlertServiceDeps;
  readonly #task: PeriodicTask<AlertPassResult>;

  constructor(deps: AlertServiceDeps) {
    this.#d = deps;
    this.#task = new PeriodicTask(
      () => this.#pass(),
      (error) => deps.log.error({ component: 'alerts', err: error }, 'alert pass failed'),
    );
  }

  /** Runs one pass now: detection over every domain, then the digests that are due. */
  runOnce(): Promise<AlertPassResult> {
    return this.#task.runOnce({ again: true });
  }

  start(intervalMs: number, gate?: () => Promise<boolean>): void {
    this.#task.start(intervalMs, gate);
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  async settings(tenantId: string): Promise<AlertSettings> {
    const {
      tenantId: _t,
      digestSentAt: _d,
      updatedAt: _u,
      ...s
    } = (await this.#d.repo.settings(tenantId)) ?? this.#defaults(tenantId);
    return s;
  }

  async setSettings(tenantId: string, input: unknown): Promise<AlertSettings> {
    const parsed = alertSettingsInput.safeParse(input ?? {});
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The alert settings are invalid.',
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
    const current = (await this.#d.repo.settings(tenantId)) ?? this.#defaults(tenantId);
    const defined = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
    const next: StoredAlertSettings = {
      ...current,
      ...defined,
      // A digest switched on counts from now: the first one covers what changes after this.
      digestSentAt:
        current.digest === 'off' && parsed.data.digest !== undefined && parsed.data.digest !== 'off'
          ? this.#d.clock.now().toISOString()
          : current.digestSentAt,
      updatedAt: this.#d.clock.now().toISOString(),
    };
    await this.#d.repo.saveSettings(next);
    return this.settings(tenantId);
  }

  /**
   * The reconciliation of a domain over `days` days ending `to` (YYYY-MM-DD; default yesterday, the latest day
   * whose reports are in).
   */
  async reconciliation(tenantId: string, name: string, days = 14, to?: string): Promise<Reconciliation> {
    const domain = await this.#d.findDomain(tenantId, name);
    if (
      to !== undefined &&
      (!/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(Date.parse(`${to}T00:00:00Z`)))
    ) {
      throw new AppError('validation_failed', `"${to}" is not a day.`, [
        { path: 'to', message: 'use a day such as 2026-11-30' },
      ]);
    }
    to ??= this.#asOf();
    const from = addDays(to, -Math.min(Math.max(days, 1), 92) + 1);
    const settings = await this.settings(tenantId);
    return this.#reconcile(domain, from, to, settings.minSourceMessages);
  }

  #defaults(tenantId: string): StoredAlertSettings {
    return { ...DEFAULT_ALERT_SETTINGS, tenantId, digestSentAt: null, updatedAt: '' };
  }

  /** Reports for a day arrive during the next one: the latest complete day is yesterday (UTC). */
  #asOf(): string {
    return new Date(this.#d.clock.now().getTime() - DAY_MS).toISOString().slice(0, 10);
  }

  /** Which reports count: only verified reporters' (and legacy ones during the transition), as the autopilot's. */
  #verified(): VerifiedOnly {
    const now = this.#d.clock.now().getTime();
    return { legacyAfter: new Date(now - this.#d.legacyTrustDays * DAY_MS).toISOString() };
  }

  async #reconcile(domain: { id: string; name: string }, from: string, to: string, floor: number) {
    const f = this.#d.facts;
    const verified = this.#verified();
    const sources = await f.sources(domain.id, from, to, verified);
    const platform = sources
      .filter((s) => this.#d.classifier.classify(s.sourceIp, s.ptr, s.ptrVerified) === 'platform')
      .map((s) => s.sourceIp);
    const [delivered, seen] = await Promise.all([
      f.delivered(domain.id, from, to),
      platform.length === 0
        ? Promise.resolve([])
        : f.seen(domain.id, domain.name, from, to, platform, verified),
    ]);
    return reconcile({ domain: domain.name, from, to, delivered, seen, alarmFloor: floor });
  }

  async #pass(): Promise<AlertPassResult> {
    const asOf = this.#asOf();
    const settingsOf = new Map<string, AlertSettings>();
    let fired = 0;
    let resolved = 0;
    const domains = await this.#d.repo.domains();
    const turn = turnEvery(8);
    for (const domain of domains) {
      await turn(); // SQLite reads never yield (core/event-loop-turns.ts)
      let s = settingsOf.get(domain.tenantId);
      if (s === undefined) {
        s = await this.settings(domain.tenantId);
        settingsOf.set(domain.tenantId, s);
      }
      if (!s.enabled) continue;
      try {
        const conditions = detectAlerts(await this.#input(domain, asOf, s), s);
        const changed = await this.#record(domain, conditions, new Set(s.disabled));
        fired += changed.fired;
        resolved += changed.resolved;
      } catch (error) {
        this.#d.log.warn(
          { component: 'alerts', domain: domain.name, err: error },
          'alerts of a domain failed',
        );
      }
    }
    const digests = await this.#digests(domains);
    return { domains: domains.length, fired, resolved, digests };
  }

  async #input(domain: AlertDomain, asOf: string, s: AlertSettings): Promise<DetectorInput> {
    const { from, to } = detectionWindow(asOf, s);
    const f = this.#d.facts;
    const verified = this.#verified();
    const [daily, sourceDays, sourceRows, reporterDays, selectors] = await Promise.all([
      f.daily(domain.id, from, to, verified),
      f.sourceDays(domain.id, from, to, verified),
      f.sources(domain.id, from, to, verified),
      f.reporterDays(domain.id, from, to, verified),
      f.selectorDays(domain.id, from, to, verified),
    ]);
    // One sender uses many addresses: group them by the organisational domain of a forward-confirmed reverse name.
    const nameOf = new Map<string, string>();
    const identities = new Map<string, SourceIdentity>();
    for (const row of sourceRows) {
      const name =
        row.ptr !== null && row.ptrVerified
          ? this.#d.organizationalDomain(row.ptr.toLowerCase().replace(/\.$/, ''))
          : row.sourceIp;
      nameOf.set(row.sourceIp, name);
      const had = identities.get(name);
      const cls = this.#d.classifier.classify(row.sourceIp, row.ptr, row.ptrVerified);
      identities.set(name, {
        class: had?.class === 'platform' || cls === 'platform' ? 'platform' : cls,
        addresses: [...(had?.addresses ?? []), row.sourceIp],
      });
    }
    const sources: SourceDayFigures[] = sourceDays.map((r) => ({
      day: r.day,
      source: nameOf.get(r.sourceIp) ?? r.sourceIp,
      messages: r.messages,
      dmarcPass: r.dmarcPass,
    }));
    const reconciliation = await this.#reconcile(domain, from, to, s.minSourceMessages);
    return {
      domain: domain.name,
      asOf,
      daily,
      sources,
      identities,
      reporterDays,
      selectors,
      reconciliation: reconciliation.rows.map((r) => ({
        day: r.day,
        receiver: r.receiver,
        sent: r.sent,
        seen: r.seen,
      })),
    };
  }

  /** Opens what is new (one event each), touches what still holds, clears what no longer does. */
  async #record(domain: AlertDomain, conditions: readonly AlertCondition[], disabled: ReadonlySet<string>) {
    const now = this.#d.clock.now().toISOString();
    const states = await this.#d.repo.states(domain.id);
    const key = (kind: string, subject: string) => `${kind}\u0000${subject}`;
    const known = new Map(states.map((st) => [key(st.kind, st.subject), st]));
    let fired = 0;
    let resolved = 0;
    const holding = new Set<string>();
    for (const c of conditions) {
      holding.add(key(c.kind, c.subject));
      const state = known.get(key(c.kind, c.subject));
      if (state !== undefined && state.clearedAt === null) {
        await this.#d.repo.touch(domain.id, c.kind, c.subject, now);
        continue;
      }
      const opened = await this.#d.repo.open({
        tenantId: domain.tenantId,
        domainId: domain.id,
        kind: c.kind,
        subject: c.subject,
        openedAt: now,
        lastSeenAt: now,
        clearedAt: null,
      });
      if (!opened) continue;
      fired++;
      await this.#d.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: `alerts.${c.kind}`,
        severity: c.severity,
        message: `${c.message} What to do: ${c.action}`,
        data: {
          domain: domain.name,
          kind: c.kind,
          subject: c.subject,
          action: c.action,
          evidence: c.evidence,
        },
      });
    }
    for (const state of states) {
      // A kind switched off is not looked at, so its silence says nothing: its state stays as it was.
      if (state.clearedAt !== null || PERMANENT_KINDS.has(state.kind) || disabled.has(state.kind)) continue;
      if (holding.has(key(state.kind, state.subject))) continue;
      if (!(await this.#d.repo.clear(domain.id, state.kind, state.subject, now))) continue;
      resolved++;
      await this.#d.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: 'alerts.resolved',
        severity: 'info',
        message: `${domain.name}: the ${state.kind} alert${state.subject === '' ? '' : ` for ${state.subject}`} (since ${state.openedAt.slice(0, 10)}) no longer holds.`,
        data: { domain: domain.name, kind: state.kind, subject: state.subject, openedAt: state.openedAt },
      });
    }
    return { fired, resolved };
  }

  async #digests(domains: readonly AlertDomain[]): Promise<number> {
    const now = this.#d.clock.now();
    let sent = 0;
    const names = new Map(domains.map((d) => [d.id, d.name]));
    for (const s of await this.#d.repo.digestTenants()) {
      if (s.digest === 'off') continue;
      const period = (s.digest === 'daily' ? 1 : 7) * DAY_MS;
      const since = s.digestSentAt ?? new Date(now.getTime() - period).toISOString();
      // An hour's slack: a pass that runs a little early does not push the digest a whole period back.
      if (now.getTime() - Date.parse(since) < period - 3_600_000) continue;
      try {
        if (await this.#sendDigest(s, since, now.toISOString(), names)) sent++;
      } catch (error) {
        this.#d.log.warn(
          { component: 'alerts', tenant: s.tenantId, err: error },
          'digest not sent; will retry',
        );
      }
    }
    return sent;
  }

  async #sendDigest(
    s: StoredAlertSettings,
    since: string,
    until: string,
    domainNames: ReadonlyMap<string, string>,
  ): Promise<boolean> {
    const n = this.#d.notifications;
    const to = await n.emailTo(s.tenantId);
    if (this.#d.email === null || to.length === 0) {
      this.#d.log.info(
        { component: 'alerts', tenant: s.tenantId },
        'digest due but no e-mail path or recipient',
      );
      return false;
    }
    const events = (await n.list(s.tenantId, { since, limit: 1000 })).filter((e) => e.at < until);
    const digest = renderDigest({
      tenantName: await n.tenantName(s.tenantId),
      frequency: s.digest === 'weekly' ? 'weekly' : 'daily',
      from: since,
      to: until,
      events,
      domainNames,
      dashboardUrl: this.#d.dashboardUrl,
    });
    // Claim the period first (compare-and-set): with two nodes, only one sends it.
    if (!(await this.#d.repo.markDigestSent(s.tenantId, s.digestSentAt, until))) return false;
    // Nothing changed: no e-mail ("only what changed"), and the next digest starts from here.
    if (digest === null) return false;
    try {
      await this.#d.email.send({
        to,
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
        headers: { 'X-Senderd-Digest': `${s.tenantId}/${until}` },
      });
    } catch (error) {
      // Give the period back, so the next pass sends it again.
      await this.#d.repo.markDigestSent(s.tenantId, until, s.digestSentAt ?? since);
      throw error;
    }
    return true;
  }
}
