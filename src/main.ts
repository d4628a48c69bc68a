/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own.
 */
import { getServers } from 'node:dns';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountService,
  PasswordService,
  SessionService,
  SignInLimiter,
  SmtpCredentialService,
  TeamService,
} from './accounts/index.ts';
import { OverviewService } from './overview/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import type { Config } from './config/index.ts';
import { CheckScheduler, CheckService, checkDomain, DelegationCache } from './checks/index.ts';
import { dnsSettingsFrom, startDns, type DnsSettings, type ZoneSource } from './dns/index.ts';
import {
  AppError,
  cryptoRandom,
  durationMs,
  PeriodicTask,
  quietLogger,
  systemClock,
  type Clock,
  type Logger,
  type RandomSource,
} from './core/index.ts';
import {
  cryptoKeyGenerator,
  dnsVisibilityProbe,
  DkimService,
  PolicyBook,
  RotationScheduler,
  SigningKeys,
  type KeyGenerator,
  type KeyVisibilityProbe,
} from './dkim/index.ts';
import {
  DeliveryWorker,
  EventService,
  httpWebhookTransport,
  smtpEmailTransport,
  type EmailTransport,
  type EventSink,
  type WebhookTransport,
} from './events/index.ts';
import {
  DmarcScheduler,
  DmarcService,
  dnsReportAuthorizationProbe,
  type DmarcEvidenceSource,
  type ReportAuthorizationProbe,
} from './dmarc/index.ts';
import {
  bounceIntake,
  startGatewayComponent,
  verpKeyFrom,
  TraceService,
  type MailResolver,
  type SigningKeySource,
} from './gateway/index.ts';
import {
  ReportIngestService,
  ReportStatistics,
  ReverseNameWorker,
  dnsReverseResolver,
  reportEvidenceSource,
  sourceClassifier,
  startReportComponents,
  type BounceSink,
  type ReverseResolver,
} from './reports/index.ts';
import { fileKekSource, platformSecret, type KekSource } from './secrets/index.ts';
import {
  DomainService,
  parsePublicSuffixList,
  type PlatformNames,
  type PublicSuffixList,
} from './domains/index.ts';
import type { DomainName } from './domain-name/index.ts';
import {
  parseServerAddress,
  StubResolver,
  type DnsResolver,
  type DnsServerAddress,
} from './resolver/index.ts';
import { openStore, pingStore, type Store } from './store/index.ts';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Everything a command or a component calls: the capabilities, over one store. */
export interface Services {
  readonly config: Config;
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
  readonly smtpCredentials: SmtpCredentialService;
  readonly traces: TraceService;
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
  close(): Promise<void>;
}

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
  readonly log?: Logger;
  /** Key generation (simulations hand out pre-generated keys). */
  readonly keygen?: KeyGenerator;
  /** Whether a new key is visible through the customer's DNS (default: DNS through resolvers.servers). */
  readonly probe?: KeyVisibilityProbe;
  readonly webhook?: WebhookTransport;
  readonly email?: EmailTransport | null;
  /** Report statistics for the DMARC autopilot and impact preview. */
  readonly dmarcEvidence?: DmarcEvidenceSource;
  /** Whether a third-party rua domain authorises reports (default: DNS through resolvers.servers). */
  readonly reportAuthorization?: ReportAuthorizationProbe;
  /** The DNS client the checks use; a stub resolver over UDP/TCP by default. */
  readonly resolver?: DnsResolver;
  /** Also told of every event the checks, the DMARC rollout and the gateway raise (tests observe through it). */
  readonly events?: EventSink;
  /** The gateway's keys; by default the dkim capability's signing keys. */
  readonly signingKeys?: SigningKeySource;
  /** DNS for the gateway's direct (MX) delivery; the system resolver by default. */
  readonly mailResolver?: MailResolver;
  /** Resolver for the reverse names of report sources (tests give their own). */
  readonly reverseResolver?: ReverseResolver;
  /** Where mail to bounce addresses goes; without one, the inbound listener refuses bounce addresses. */
  readonly bounces?: BounceSink;
}

function serverList(list: readonly string[], defaultPort = 53): DnsServerAddress[] {
  return list.flatMap((s) => parseServerAddress(s, defaultPort) ?? []);
}

/** Every event goes to the store-backed service, and to an observer if one is given. */
function teeEvents(primary: EventSink, observer: EventSink | undefined): EventSink {
  if (observer === undefined) return primary;
  return {
    async emit(event) {
      await primary.emit(event);
      await observer.emit(event);
    },
  };
}

export function platformNames(config: Config): PlatformNames {
  const zone = config.platform.zone as DomainName;
  return {
    zone,
    dkimSelectors: config.platform.dkimSelectors,
    mxHost: `${config.platform.mxLabel}.${zone}`,
    trackHost: `${config.platform.trackLabel}.${zone}`,
    reportsHost: `${config.platform.reportsLabel}.${zone}`,
    ttl: config.platform.ttl,
    egressIps: config.platform.egressIps,
  };
}

/** The sender domains' hosted records, as the dns capability reads them. */
export function zoneSource(services: Pick<Services, 'store' | 'domains'>): ZoneSource {
  return {
    listDomains: () => services.store.domains.listAll(),
    findDomain: (id) => services.store.domains.findById(id),
    hostedRecords: async (domain) => (await services.domains.planFor(domain)).hosted,
    hostedRecordsOf: async (domains) => (await services.domains.plansFor(domains)).map((p) => p.hosted),
  };
}

/** The dns settings of a validated config (its problems were reported when the config was read). */
export function dnsSettings(config: Config): DnsSettings {
  const outcome = dnsSettingsFrom(config);
  if (!('settings' in outcome)) {
    throw new AppError('config_invalid', outcome.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
  return outcome.settings;
}

/** Opens the store (applying migrations) and builds the services. */
export async function openServices(config: Config, runtime: Runtime = {}): Promise<Services> {
  const clock = runtime.clock ?? systemClock;
  const random = runtime.random ?? cryptoRandom;
  const store = openStore(
    config.store.driver === 'sqlite'
      ? { driver: 'sqlite', path: config.store.sqlitePath }
      : {
          driver: 'postgres',
          url: config.store.postgresUrl,
          onIdleError: (error) =>
            runtime.log?.warn({ component: 'store', err: error.message }, 'idle database connection lost'),
        },
  );
  await store.migrate();
  const publicSuffixes =
    runtime.publicSuffixes ?? parsePublicSuffixList(readFileSync(config.domains.publicSuffixList, 'utf8'));
  const platform = platformNames(config);
  const accounts = new AccountService({ repo: store.accounts, clock, random });
  const log = runtime.log ?? quietLogger();
  const kek = fileKekSource(config.secrets.kekFile);
  const policies = new PolicyBook(
    {
      rotationPeriod: config.dkim.rotationPeriod,
      leadTime: config.dkim.leadTime,
      overlap: config.dkim.overlap,
      retention: config.dkim.retention,
      agingThreshold: config.dkim.agingThreshold,
      ed25519: config.dkim.ed25519,
      rsaBits: config.dkim.rsaBits,
    },
    config.platform.ttl,
    store.dkim,
  );
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
  const delivery: DeliveryWorker = new DeliveryWorker({
    repo: store.events,
    events,
    webhook:
      runtime.webhook ??
      httpWebhookTransport({
        timeoutMs: durationMs(config.events.webhookTimeout),
        allowPrivate: config.events.allowPrivateWebhooks,
      }),
    email:
      runtime.email !== undefined
        ? runtime.email
        : config.events.email.enabled
          ? smtpEmailTransport({
              ...config.events.email,
              from: config.events.email.from || `senderd@${platform.zone}`,
            })
          : null,
    retry: {
      maxAttempts: config.events.maxAttempts,
      baseMs: durationMs(config.events.retryBase),
      maxMs: durationMs(config.events.retryMax),
    },
    clock,
    log,
    leaseMs: durationMs(config.events.webhookTimeout) + 60_000,
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
  });
  const r = config.reports;
  const classifier = sourceClassifier(config.platform.egressIps, r.knownForwarders);
  const reverseNames = r.reverseDns.enabled
    ? new ReverseNameWorker({
        resolver: runtime.reverseResolver ?? dnsReverseResolver(r.reverseDns),
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
    settings: {
      limits: {
        maxDecompressedBytes: r.maxDecompressedBytes,
        maxCompressionRatio: r.maxCompressionRatio,
        ratioGraceBytes: 1024 * 1024,
        maxRecords: r.maxRecords,
        maxParts: r.maxParts,
        maxNestingDepth: 8,
        maxZipBytes: r.maxZipBytes,
        maxJsonBytes: r.maxJsonBytes,
      },
      maxRawKeptBytes: r.maxRawKeptBytes,
      failureRetentionDays: r.failureRetentionDays,
      lateAfterHours: r.lateAfterHours,
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
    evidence: runtime.dmarcEvidence ?? reportEvidenceSource(store.reportStats, classifier),
    authorization:
      runtime.reportAuthorization ??
      dnsReportAuthorizationProbe({
        servers: config.resolvers.servers,
        timeoutMs: durationMs(config.resolvers.timeout),
      }),
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
  const checks = new CheckService({
    domains,
    domainRepo: store.domains,
    repo: store.checks,
    events: sink,
    check: (plan) =>
      checkDomain(plan, {
        resolver,
        roots: serverList(config.checks.rootServers),
        nameserverPort: config.checks.nameserverPort,
        recursiveResolvers: config.checks.recursiveView
          ? serverList(config.resolvers.servers.length > 0 ? config.resolvers.servers : getServers())
          : [],
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
  });
  const rotation = new RotationScheduler({
    ...keyDeps,
    domains: store.domains,
    probe:
      runtime.probe ??
      dnsVisibilityProbe({
        servers: config.resolvers.servers,
        timeoutMs: durationMs(config.resolvers.timeout),
      }),
    log,
  });
  const smtpCredentials = new SmtpCredentialService({ repo: store.smtpCredentials, clock, random });
  // One limiter for sign-ins and password changes: a wrong current password is a failed sign-in.
  const limiter = new SignInLimiter(
    {
      perAccount: config.dashboard.signInFailures,
      perClient: config.dashboard.signInFailuresPerClient,
      windowMs: durationMs(config.dashboard.signInWindow),
    },
    clock,
  );
  const sessions = new SessionService({
    sessions: store.sessions,
    accounts: store.accounts,
    checkPassword: (email, password) => accounts.authenticatePassword(email, password),
    limiter,
    clock,
    random,
    idleMs: durationMs(config.dashboard.sessionIdle),
    absoluteMs: durationMs(config.dashboard.sessionMaxAge),
  });
  const traces = new TraceService(store.gateway);
  return {
    config,
    store,
    accounts,
    smtpCredentials,
    traces,
    reports,
    reportStats,
    reverseNames,
    sessions,
    team: new TeamService({
      team: store.team,
      accounts,
      clock,
      random,
      linkTtlMs: durationMs(config.dashboard.setPasswordLinkTtl),
    }),
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
    async close() {
      stub?.close();
      await dmarcScheduler.stop();
      await rotation.stop();
      await delivery.stop();
      await store.close();
    },
  };
}

/** A listening part of a node (http, dns, gateway, inbound). */
export interface Component {
  readonly name: string;
  /** Where it listens, for the start-up log and for tests (port 0 resolves to the real port). */
  readonly address: string;
  stop(): Promise<void>;
}

export interface RunningNode {
  readonly services: Services;
  readonly components: readonly Component[];
  /** Drains and stops every component, then closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts every enabled component of this node. */
export async function startNode(config: Config, log: Logger, runtime: Runtime = {}): Promise<RunningNode> {
  const services = await openServices(config, { log, ...runtime });
  const components: Component[] = [];
  try {
    // The key of the VERP return paths: a platform secret in the store, so every node shares it and a KEK
    // rotation keeps it (a bounce comes back days after the mail went out).
    // Only the gateway and the inbound listener (its bounce intake) need it.
    const verpKey =
      config.gateway.enabled || config.inbound.enabled
        ? await platformSecret(services.store.platformSecrets, services.kek, 'verp', {
            random: runtime.random ?? cryptoRandom,
            now: () => (runtime.clock ?? systemClock).now().toISOString(),
          })
        : null;
    if (config.dkim.scheduler) {
      services.rotation.start(durationMs(config.dkim.checkInterval));
      components.push({ name: 'dkim-scheduler', address: 'internal', stop: () => services.rotation.stop() });
    }
    if (config.dns.enabled) {
      const dns = await startDns({
        settings: dnsSettings(config),
        source: zoneSource(services),
        repo: services.store.dns,
        clock: runtime.clock ?? systemClock,
        random: runtime.random ?? cryptoRandom,
        log,
      });
      components.push({
        name: 'dns',
        address: `dns://${hostForUrl(dns.host)}:${dns.port}`,
        stop: () => dns.stop(),
      });
    }
    if (config.checks.enabled) {
      const scheduler = new CheckScheduler({
        service: services.checks,
        concurrency: config.checks.concurrency,
        // Look for due domains a few times per interval; each domain's own due time carries the jitter.
        tickMs: Math.min(60_000, (config.checks.interval * 1000) / 10),
        log,
      });
      scheduler.start();
      components.push({
        name: 'checks',
        address: `scheduler, every ${config.checks.interval} s`,
        stop: () => scheduler.stop(),
      });
    }
    if (config.dmarc.scheduler) {
      services.dmarcScheduler.start(durationMs(config.dmarc.tickInterval));
      components.push({
        name: 'dmarc-scheduler',
        address: 'internal',
        stop: () => services.dmarcScheduler.stop(),
      });
    }
    if (config.events.delivery) {
      services.delivery.start(durationMs(config.events.deliveryInterval));
      components.push({ name: 'event-delivery', address: 'internal', stop: () => services.delivery.stop() });
    }
    if (config.http.enabled) {
      const api = createApi({
        accounts: services.accounts,
        domains: services.domains,
        dkim: services.dkim,
        events: services.events,
        dmarc: services.dmarc,
        checks: services.checks,
        smtpCredentials: services.smtpCredentials,
        traces: services.traces,
        reports: {
          ingest: services.reports,
          statistics: services.reportStats,
          maxUploadBytes: config.reports.maxUploadBytes,
        },
        sessions: services.sessions,
        team: services.team,
        passwords: services.passwords,
        overview: services.overview,
        cookie: {
          publicOrigin: config.dashboard.publicOrigin,
          maxAgeSeconds: Math.floor(durationMs(config.dashboard.sessionMaxAge) / 1000),
        },
        ...(config.dashboard.enabled ? { dashboardDir: dashboardDir(config) } : {}),
        log,
        version: VERSION,
        ready: () => pingStore(services.store),
      });
      // Expired sessions are deleted at start and hourly (PeriodicTask times each pass from the end of the last).
      const purge = new PeriodicTask(
        () => services.sessions.purgeExpired(),
        (error) => log.warn({ component: 'http', err: error }, 'could not purge expired sessions'),
      );
      purge.start(3_600_000);
      components.push({ name: 'sessions', address: 'internal', stop: () => purge.stop() });
      const http = await listenHttp(api, config.http.host, config.http.port);
      components.push({
        name: 'http',
        address: `http://${hostForUrl(http.host)}:${http.port}`,
        stop: () => http.close(),
      });
    }
    if (config.gateway.enabled && verpKey !== null)
      components.push(...(await gatewayComponents(config, services, log, runtime, verpKey)));
    components.push(
      ...(await startReportComponents({
        config,
        ingest: services.reports,
        reverseNames: services.reverseNames,
        log,
        mxHost: services.platform.mxHost,
        reportsHost: services.platform.reportsHost,
        postmasterDomains: [
          services.platform.zone,
          config.gateway.bounceDomain || `${config.platform.bounceLabel}.${services.platform.zone}`,
        ],
        tenantIdByName: async (name) => (await services.accounts.tenantByName(name)).id,
        // DSNs to the gateway's VERP return paths (their MX is this listener) become bounce records.
        bounces:
          runtime.bounces ??
          bounceIntake({
            // Also the keys an earlier version derived from each KEK in the file, for mail sent before it.
            verpKeys: () => [
              ...(verpKey === null ? [] : [verpKey]),
              ...[...services.kek.keys().byId.values()].map(verpKeyFrom),
            ],
            repo: services.store.gateway,
            events: services.eventSink,
            clock: runtime.clock ?? systemClock,
            log,
          }),
      })),
    );
  } catch (error) {
    await Promise.all(components.map((c) => c.stop()));
    await services.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    services,
    components,
    stop() {
      stopping ??= (async () => {
        for (const component of [...components].reverse()) {
          await component.stop();
          log.info({ component: component.name }, 'stopped');
        }
        await services.close();
      })();
      return stopping;
    },
  };
}

/** The gateway and its listeners: `gateway` (submission) stops them all; the others are for addresses. */
async function gatewayComponents(
  config: Config,
  services: Services,
  log: Logger,
  runtime: Runtime,
  verpKey: Buffer,
): Promise<Component[]> {
  // The dkim capability's signer-facing cache: active keys, plus retiring ones inside their overlap. An unusable
  // set is an empty list, which the gateway answers with 4xx and a critical event, never unsigned mail.
  const keys: SigningKeySource = runtime.signingKeys ?? {
    async keysFor(domain) {
      const set = await services.signingKeys.forDomain(domain.id);
      return set.usable ? set.keys : [];
    },
  };
  const running = await startGatewayComponent({
    config,
    domains: services.store.domains,
    keys,
    repo: services.store.gateway,
    events: services.eventSink,
    authenticate: (username, password) => services.smtpCredentials.authenticate(username, password),
    tenantIdOf: async (name) => (await services.store.accounts.findTenantByName(name))?.id ?? null,
    verpKey,
    ...(runtime.mailResolver ? { resolver: runtime.mailResolver } : {}),
    clock: runtime.clock ?? systemClock,
    random: runtime.random ?? cryptoRandom,
    log,
    organizationalDomain: (name) => services.domains.apexOf(name),
  });
  return running.listeners.map((l, i) => ({
    name: l.kind === 'submission' ? 'gateway' : `gateway-${l.kind}`,
    address: `smtp://${hostForUrl(l.host)}:${l.port}`,
    stop: i === 0 ? () => running.stop() : () => Promise.resolve(),
  }));
}

/** Where the built dashboard is: dashboard.dir, or web-dist/ beside src/ in this installation. */
export function dashboardDir(config: Config): string {
  return config.dashboard.dir !== ''
    ? resolvePath(config.dashboard.dir)
    : fileURLToPath(new URL('../web-dist/', import.meta.url));
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
