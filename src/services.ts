/**
 * Part of the composition root: opens the store and builds every capability's service over it, wired to each
 * other through their ports. Commands, tests and a running node all start here; nothing here listens.
 */
import { readFileSync } from 'node:fs';
import {
  AccountService,
  PasswordService,
  SessionService,
  SignInLimiter,
  SmtpCredentialService,
  TeamService,
} from './accounts/index.ts';
import { AlertService } from './alerts/index.ts';
import { CheckService, checkDomain, DelegationCache } from './checks/index.ts';
import type { Config } from './config/index.ts';
import { durationMs } from './core/index.ts';
import {
  cryptoKeyGenerator,
  dnsVisibilityProbe,
  DkimService,
  PolicyBook,
  keyRecordProblem,
  RotationScheduler,
  SigningKeys,
} from './dkim/index.ts';
import { DmarcScheduler, DmarcService, dnsReportAuthorizationProbe } from './dmarc/index.ts';
import type { ZoneSettings, ZoneSource } from './dns/index.ts';
import { DomainService, parsePublicSuffixList, type PlatformNames } from './domains/index.ts';
import {
  DeliveryWorker,
  EventService,
  httpWebhookTransport,
  smtpEmailTransport,
  type EventSink,
} from './events/index.ts';
import { edgeServices, type EdgeServices } from './edge-wiring.ts';
import { TraceService } from './gateway/index.ts';
import {
  checkServers,
  dnsSettings,
  eventRetry,
  platformNames,
  mtaStsMaxAge,
  recursiveLookups,
  reportIngestSettings,
  rotationDefaults,
  sessionLimits,
  storeOptions,
} from './node-settings.ts';
import { MtaStsService } from './mta-sts/index.ts';
import { BimiService } from './bimi/index.ts';
import { OverviewService } from './overview/index.ts';
import {
  dnsReverseResolver,
  dnsTxtLookup,
  ReportIngestService,
  ReportStatistics,
  reportEvidenceSource,
  ReverseNameWorker,
  sourceClassifier,
} from './reports/index.ts';
import {
  DC_KEY_LABEL,
  DnsApplyService,
  discoveryTxt,
  DomainConnectService,
  domainConnectKey,
  httpsJson,
  platformTemplate,
  type DomainConnectKey,
} from './provisioning/index.ts';
import { RecursiveResolver, StubResolver } from './resolver/index.ts';
import { resolveRuntime, type NodeRuntime, type Runtime } from './runtime.ts';
import { fileKekSource, type KekSource } from './secrets/index.ts';
import { openStore, type Store } from './store/index.ts';
import { SuppressionService } from './suppression/index.ts';
import { FigureService } from './complaints/index.ts';
import { trackingServices, type TrackingServices } from './tracking-wiring.ts';

/** Everything a command or a component calls: the capabilities, over one store. */
export interface Services {
  readonly config: Config;
  /** The clock, randomness and logger every service was built with (the runtime's defaults applied). */
  readonly runtime: NodeRuntime;
  readonly store: Store;
  readonly accounts: AccountService;
  readonly domains: DomainService;
  readonly platform: PlatformNames;
  readonly kek: KekSource;
  readonly dkim: DkimService;
  /** The signer-facing interface: the keys to sign a domain's mail with right now. */
  readonly signingKeys: SigningKeys;
  readonly rotation: RotationScheduler;
  readonly events: EventService;
  readonly delivery: DeliveryWorker;
  readonly dmarc: DmarcService;
  readonly dmarcScheduler: DmarcScheduler;
  readonly checks: CheckService;
  /** Writes a domain's plan into the customer's zone by RFC 2136 (`senderd dns apply`). */
  readonly dnsApply: DnsApplyService;
  /** Domain Connect: the platform's template, discovery of the customer's DNS provider, signed apply links. */
  readonly domainConnect: DomainConnectService;
  /** The Domain Connect signing key (made once, sealed in the store); its public half goes in the platform zone. */
  readonly domainConnectKey: () => Promise<DomainConnectKey>;
  readonly smtpCredentials: SmtpCredentialService;
  readonly traces: TraceService;
  /** The suppression list per tenant: bounces add to it, the gateway refuses at RCPT, API and CLI manage it. */
  readonly suppressions: SuppressionService;
  /** Figures per sender domain per day (sent, delivered, bounces, complaints, unsubscribes) and complaint-rate events. */
  readonly figures: FigureService;
  readonly reports: ReportIngestService;
  readonly reportStats: ReportStatistics;
  /** Null when reverse DNS of report sources is switched off. */
  readonly reverseNames: ReverseNameWorker | null;
  /** Dashboard sign-in and sessions. */
  readonly sessions: SessionService;
  /** A tenant's team (roles, removal, set-password links) and password changes. */
  readonly team: TeamService;
  readonly passwords: PasswordService;
  /** The dashboard's list views (domains with badges, tenants for operators). */
  readonly overview: OverviewService;
  /** Where capabilities emit events: the event service, plus a test observer when one is given. */
  readonly eventSink: EventSink;
  /** The edge: status of customer hosts and certificates, the ACME scheduler, the routes by host role. */
  readonly edge: EdgeServices;
  /** MTA-STS and TLS-RPT per domain (RFC 8461, RFC 8460): switch on, mode changes with their guard, MX re-checks. */
  readonly mtaSts: MtaStsService;
  /** BIMI logos: SVG Tiny PS checked, served by the edge, published as l=. */
  readonly bimi: BimiService;
  /** Alerts on change, the digest e-mail and reconciliation (issue 21). */
  readonly alerts: AlertService;
  /** Opens, clicks and one-click unsubscribes received on click hosts; their figures; the link-token keys. */
  readonly tracking: TrackingServices;
  close(): Promise<void>;
}

/** Every event goes to the store-backed service, and to an observer if one is given. */
function teeEvents(primary: EventSink, observer: EventSink | undefined): EventSink {
  if (observer === undefined) return primary;
  return {
    async emit(event) {
      await primary.emit(event);
      await observer.emit(event);
    },
    async emitAll(events, options) {
      if (primary.emitAll !== undefined) await primary.emitAll(events, options);
      else for (const event of events) await primary.emit(event);
      for (const event of events) await observer.emit(event);
    },
  };
}

/** The zone settings the server serves: the configured ones, with the Domain Connect public key added. */
export async function servedZoneSettings(
  services: Pick<Services, 'config' | 'domainConnectKey'>,
): Promise<ZoneSettings> {
  const zone = dnsSettings(services.config).zone;
  const key = await services.domainConnectKey();
  return { ...zone, extraTexts: new Map([[`${DC_KEY_LABEL}.${zone.apex}`, key.publicTexts]]) };
}

/** The sender domains' hosted records, as the dns capability reads them. */
export function zoneSource(services: Pick<Services, 'store' | 'domains'>): ZoneSource {
  return {
    listDomains: () => services.store.domains.listAll(),
    listDomainsAfter: (afterId, limit) => services.store.domains.listAfter(afterId, limit),
    countDomains: () => services.store.domains.countAll(),
    findDomain: (id) => services.store.domains.findById(id),
    hostedRecords: async (domain) => (await services.domains.planFor(domain)).hosted,
    hostedRecordsOf: async (domains) => (await services.domains.plansFor(domains)).map((p) => p.hosted),
    readingInBulk: (fn) => services.store.readingInBulk(fn),
  };
}

/** Opens the store (applying migrations) and builds the services. */
export async function openServices(config: Config, given: Runtime = {}): Promise<Services> {
  const runtime = resolveRuntime(given);
  const { clock, random, log } = runtime;
  const store = openStore(
    storeOptions(config, (error) =>
      log.warn({ component: 'store', err: error.message }, 'idle database connection lost'),
    ),
  );
  await store.migrate();
  const publicSuffixes =
    runtime.publicSuffixes ?? parsePublicSuffixList(readFileSync(config.domains.publicSuffixList, 'utf8'));
  const platform = platformNames(config);
  const accounts = new AccountService({ repo: store.accounts, clock, random });
  const kek = fileKekSource(config.secrets.kekFile);
  const policies = new PolicyBook(rotationDefaults(config), config.platform.ttl, store.dkim);
  const signingKeys = new SigningKeys({ repo: store.dkim, kek, policies, clock });
  const events = new EventService({
    repo: store.events,
    kek,
    clock,
    random,
    // The worker is built just below; an event is only queued after both exist.
    onQueued: () => delivery.nudge(),
    allowPrivateWebhooks: config.events.allowPrivateWebhooks,
  });
  const sink = teeEvents(events, runtime.events);
  const email = config.events.email;
  // The notification mail path: events' e-mail deliveries and the alerts' digest go through the same transport.
  const emailTransport =
    runtime.email !== undefined
      ? runtime.email
      : email.enabled
        ? smtpEmailTransport({ ...email, from: email.from || `senderd@${platform.zone}` })
        : null;
  const delivery: DeliveryWorker = new DeliveryWorker({
    repo: store.events,
    events,
    webhook:
      runtime.webhook ??
      httpWebhookTransport({
        timeoutMs: durationMs(config.events.webhookTimeout),
        allowPrivate: config.events.allowPrivateWebhooks,
      }),
    email: emailTransport,
    retry: eventRetry(config),
    clock,
    log,
    // A webhook attempt ends at events.webhookTimeout (the transport's whole-request limit); 5 s more for the
    // write of its outcome. An e-mail attempt is bounded by nodemailer's connection, greeting and socket limits.
    leaseMs: { webhook: durationMs(config.events.webhookTimeout) + 5_000, email: 120_000 },
  });
  const keyDeps = {
    repo: store.dkim,
    kek,
    events,
    clock,
    random,
    keygen: runtime.keygen ?? cryptoKeyGenerator,
    policies,
    platform,
    ed25519Selectors: config.dkim.ed25519Selectors,
    onChange: (domainId: string) => signingKeys.invalidate(domainId),
  };
  // The domains capability asks dkim for published keys, and dkim asks domains for a tenant's domain.
  const dkim: DkimService = new DkimService({
    ...keyDeps,
    domains: { get: (tenantId: string, name: string) => domains.get(tenantId, name) },
  });
  const domains: DomainService = new DomainService({
    repo: store.domains,
    keys: dkim,
    policy: {
      recordsFor: (domain) => dmarc.recordsFor(domain),
      recordsForMany: (domains) => dmarc.recordsForMany(domains),
    },
    rules: { publicSuffixes, platformZone: platform.zone },
    platform,
    defaults: { bounceLabel: config.platform.bounceLabel, clickLabel: config.platform.clickLabel },
    clock,
    random,
    keyRecordProblem,
  });
  const r = config.reports;
  const reverseResolver = runtime.reverseResolver ?? dnsReverseResolver(r.reverseDns);
  const classifier = sourceClassifier(config.platform.egressIps, r.knownForwarders);
  const reverseNames = r.reverseDns.enabled
    ? new ReverseNameWorker({
        resolver: reverseResolver,
        stats: store.reportStats,
        clock,
        log,
        refreshDays: r.reverseDns.refreshDays,
        concurrency: 4,
      })
    : null;
  const reports = new ReportIngestService({
    repo: store.reports,
    clock,
    random,
    log,
    reportsHost: platform.reportsHost,
    settings: reportIngestSettings(config),
    isPublicSuffix: (name) => publicSuffixes.registrableDomain(name) === null,
    organizationalDomain: (name) => publicSuffixes.registrableDomain(name) ?? name,
    // Who sent a report: DKIM keys through senderd's resolvers, the SMTP client's name as the reverse names are.
    evidence: {
      txt: dnsTxtLookup(recursiveLookups(config)),
      reverse: r.reverseDns.enabled ? reverseResolver : null,
    },
    onStored: () =>
      void reverseNames?.run().catch((error: unknown) => log.warn({ err: error }, 'reverse names')),
  });
  const reportStats = new ReportStatistics({
    stats: store.reportStats,
    clock,
    classifier,
    findDomain: (tenantId, name) => domains.get(tenantId, name),
    silentAfterDays: r.silentAfterDays,
  });
  const dmarc: DmarcService = new DmarcService({
    repo: store.dmarc,
    domains: { get: (tenantId, name) => domains.get(tenantId, name), byId: (id) => domains.byId(id) },
    // The aggregate reports, per source with class and reverse name: the autopilot's and the impact preview's evidence.
    evidence:
      runtime.dmarcEvidence ??
      reportEvidenceSource(store.reportStats, classifier, {
        legacyTrustDays: r.legacyTrustDays,
        now: () => clock.now(),
      }),
    authorization: runtime.reportAuthorization ?? dnsReportAuthorizationProbe(recursiveLookups(config)),
    publicSuffixes,
    reportsHost: platform.reportsHost,
    events: sink,
    clock,
    random,
  });
  const dmarcScheduler = new DmarcScheduler(dmarc, log);
  const stub =
    runtime.resolver === undefined
      ? new StubResolver({ timeoutMs: config.checks.timeoutMs, attempts: config.checks.attempts, random })
      : undefined;
  const resolver = runtime.resolver ?? stub!;
  const delegations = new DelegationCache(clock);
  const servers = checkServers(config);
  const checks = new CheckService({
    domains,
    domainRepo: store.domains,
    repo: store.checks,
    events: sink,
    check: (plan) =>
      checkDomain(plan, {
        resolver,
        ...servers,
        nameserverPort: config.checks.nameserverPort,
        delegations,
        platform,
        egressIps: config.platform.egressIps,
        organizationalDomain: (name) => publicSuffixes.registrableDomain(name) ?? name,
        now: () => clock.now(),
      }),
    clock,
    random,
    intervalSeconds: config.checks.interval,
    jitter: config.checks.jitter,
    log,
    // A click host's CNAME seen for the first time starts its certificate order without waiting for the next pass.
    onChecked: () => edge.acme.nudge(),
  });
  const dnsApply = new DnsApplyService({
    domains,
    check: (tenantId, name) => checks.checkNow(tenantId, name),
    resolver,
    // A --server given by name is looked up through the platform's recursive resolvers.
    addressesOf: async (host) => {
      const found = await new RecursiveResolver(recursiveLookups(config)).addresses(host, 4);
      return found.kind === 'answer' ? [...found.records] : [];
    },
    clock,
    random,
    timeoutMs: Math.max(config.checks.timeoutMs, 5000),
    allowPrivateServers: config.checks.allowPrivateApplyServers,
  });
  let dcKey: Promise<DomainConnectKey> | undefined;
  const dcKeyOnce = () =>
    (dcKey ??= domainConnectKey(store.platformSecrets, kek, {
      random,
      now: () => clock.now().toISOString(),
    }));
  const domainConnect = new DomainConnectService({
    domains,
    template: platformTemplate(platform.zone, domains.standInPlan()),
    registrable: (name) => publicSuffixes.registrableDomain(name) ?? name,
    discovery: {
      txt: discoveryTxt(new RecursiveResolver(recursiveLookups(config))),
      getJson: runtime.domainConnectGet ?? httpsJson({ timeoutMs: 10_000, allowPrivate: false }),
    },
    key: dcKeyOnce,
  });
  const rotation = new RotationScheduler({
    ...keyDeps,
    domains: store.domains,
    probe: runtime.probe ?? dnsVisibilityProbe(recursiveLookups(config)),
    log,
  });
  const smtpCredentials = new SmtpCredentialService({ repo: store.smtpCredentials, clock, random });
  const edge = edgeServices(config, { store, kek, domains, events: sink }, runtime);
  const mxResolver = new RecursiveResolver(recursiveLookups(config));
  const mtaSts = new MtaStsService({
    domains: {
      get: (tenantId, name) => domains.get(tenantId, name),
      setMtaSts: (domain, value) => domains.setMtaSts(domain, value),
      listAll: () => store.domains.listAll(),
    },
    // RFC 7505: a null MX (the root as exchange) says the domain takes no mail; it is no host to list.
    mx:
      runtime.mxLookup ??
      (async (name) => {
        const found = await mxResolver.mx(name);
        if (found.kind === 'answer') {
          // By preference, then name: the policy text (and so its id) must not change with the order of the answer.
          const hosts = [...found.records]
            .sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange))
            .map((r) => r.exchange.toLowerCase().replace(/\.$/, ''))
            .filter((h) => h !== '');
          return hosts.length > 0 ? { kind: 'hosts', hosts } : { kind: 'none' };
        }
        return found.kind === 'error' ? { kind: 'error', reason: found.reason } : { kind: 'none' };
      }),
    tlsEvidence: async (domainId, from, to) => {
      const days = await store.reportStats.daily(domainId, from, to);
      return days.reduce(
        (sum, d) => ({
          reports: sum.reports + (d.tlsSuccessful + d.tlsFailed > 0 ? d.reports : 0),
          successful: sum.successful + d.tlsSuccessful,
          failed: sum.failed + d.tlsFailed,
        }),
        { reports: 0, successful: 0, failed: 0 },
      );
    },
    events: sink,
    clock,
    maxAge: mtaStsMaxAge(config),
    evidenceDays: config.edge.mtaSts.evidenceDays,
  });
  const bimi = new BimiService({
    repo: store.bimi,
    domains: { get: (tenantId, name) => domains.get(tenantId, name) },
    // The logo's URL becomes the BIMI record's l=, keeping a VMC (a=) that was set; removing the logo clears l=
    // only when it still points at the logo removed.
    setLocation: async (tenantId, name, location, replaces) => {
      const current = (await dmarc.show(tenantId, name)).policy.bimi;
      if (location === null) {
        if (current !== undefined && current.location === replaces)
          await dmarc.update(tenantId, name, { bimi: null });
        return;
      }
      const authority = current?.authority;
      await dmarc.update(tenantId, name, {
        bimi: authority === undefined || authority === '' ? { location } : { location, authority },
      });
    },
    clock,
  });
  const alerts = new AlertService({
    repo: store.alerts,
    facts: {
      ...store.alertFacts,
      sources: (domainId, from, to, verified) =>
        store.reportStats.sources(domainId, from, to, 5000, 'cover', verified),
    },
    legacyTrustDays: r.legacyTrustDays,
    events: sink,
    notifications: {
      list: (tenantId, query) => events.list(tenantId, query),
      emailTo: async (tenantId) => (await events.notifications(tenantId)).emailTo,
      tenantName: async (tenantId) =>
        (await accounts.listTenants()).find((t) => t.id === tenantId)?.name ?? tenantId,
    },
    email: emailTransport,
    classifier,
    organizationalDomain: (name) => publicSuffixes.registrableDomain(name) ?? name,
    findDomain: (tenantId, name) => domains.get(tenantId, name),
    dashboardUrl: config.dashboard.publicOrigin,
    clock,
    log,
  });
  const limits = sessionLimits(config);
  // One limiter for sign-ins and password changes: a wrong current password is a failed sign-in.
  const limiter = new SignInLimiter(limits.signIn, clock, store.signInFailures);
  const sessions = new SessionService({
    sessions: store.sessions,
    accounts: store.accounts,
    checkPassword: (email, password) => accounts.authenticatePassword(email, password),
    limiter,
    clock,
    random,
    idleMs: limits.idleMs,
    absoluteMs: limits.absoluteMs,
  });
  const suppressions = new SuppressionService({
    repo: store.suppressions,
    settings: {
      softBounceLimit: config.suppression.softBounceLimit,
      softBounceWindowMs: durationMs(config.suppression.softBounceWindow),
      softBounceSuppressMs: durationMs(config.suppression.softBounceSuppression),
    },
    clock,
    log,
    isSenderDomain: async (tenantId, name) => (await store.domains.findByName(tenantId, name)) !== null,
  });
  const tracking = trackingServices(
    config,
    { store, kek, events: sink, suppressions, routes: edge.routes },
    runtime,
  );
  return {
    config,
    runtime,
    store,
    accounts,
    smtpCredentials,
    traces: new TraceService(store.gateway),
    figures: new FigureService({
      repo: store.figures,
      events: sink,
      settings: { minimumDelivered: config.suppression.complaintRateMinimumDelivered },
      clock,
      log,
    }),
    suppressions,
    tracking,
    reports,
    reportStats,
    reverseNames,
    sessions,
    team: new TeamService({ team: store.team, accounts, clock, random, linkTtlMs: limits.linkTtlMs }),
    passwords: new PasswordService({
      team: store.team,
      users: store.sessions,
      accounts: store.accounts,
      sessions,
      limiter,
      clock,
      random,
    }),
    overview: new OverviewService(store.overview, clock),
    eventSink: sink,
    edge,
    mtaSts,
    bimi,
    alerts,
    domains,
    platform,
    kek,
    dkim,
    signingKeys,
    rotation,
    events,
    delivery,
    dmarc,
    dmarcScheduler,
    checks,
    dnsApply,
    domainConnect,
    domainConnectKey: dcKeyOnce,
    async close() {
      stub?.close();
      await edge.acme.stop();
      await tracking.service.settled();
      await dmarcScheduler.stop();
      await alerts.stop();
      await rotation.stop();
      await delivery.stop();
      await store.close();
    },
  };
}
