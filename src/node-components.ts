/**
 * Part of the composition root: every component a node can run, in start order. Each says whether this node runs
 * it (from the configuration) and how to start it over the services; startNode in main.ts walks the list and
 * stops what it started in reverse. A new component (a listener, a periodic job) is one more entry here.
 */
import { gatewayLinkRewriter } from './tracking/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import { CheckScheduler } from './checks/index.ts';
import type { JobLeases } from './cluster/index.ts';
import type { Config } from './config/index.ts';
import { durationMs, PeriodicTask } from './core/index.ts';
import { startDns } from './dns/index.ts';
import { dkimSigner } from './dkim/index.ts';
import { startEdge } from './edge/index.ts';
import { edgeSettings } from './edge-wiring.ts';
import { feedbackIntake, unsubscribeIntake, type AddressReader } from './complaints/index.ts';
import {
  bounceIntake,
  parseUnsubscribeAddress,
  parseVerpAddress,
  startGatewayComponent,
  verpKeyFrom,
} from './gateway/index.ts';
import { startInboundComponent } from './inbound/index.ts';
import type { MetricsText, NodeMetrics } from './node-metrics.ts';
import { dashboardDir, dnsSettings } from './node-settings.ts';
import { startImapPollers, startReportMaintenance } from './reports/index.ts';
import type { NodeRuntime } from './runtime.ts';
import { platformSecret } from './secrets/index.ts';
import { servedZoneSettings, zoneSource, type Services } from './services.ts';
import { pingStore } from './store/index.ts';

/** A running part of a node (a listener or a periodic job), as the start-up log and the tests see it. */
export interface Component {
  readonly name: string;
  /** Where it listens, for the start-up log and for tests (port 0 resolves to the real port); or what it does. */
  readonly address: string;
  stop(): Promise<void>;
}

/** What a component's start is given: the node's configuration, services and runtime, and its shared secrets. */
export interface NodeParts {
  readonly config: Config;
  readonly services: Services;
  readonly runtime: NodeRuntime;
  readonly version: string;
  /**
   * The key of the VERP return paths: a platform secret in the store, so every node shares it and a KEK rotation
   * keeps it (a bounce comes back days after the mail went out). Read on first use, once.
   */
  readonly verpKey: () => Promise<Buffer>;
  /** Job leases: each periodic job that must run once per cluster asks its gate before every pass. */
  readonly leases: JobLeases;
  /** The node's /metrics: components register what they can tell as they start. */
  readonly metrics: NodeMetrics;
}

type Started = Component | readonly Component[];

export interface ComponentSpec {
  readonly name: string;
  enabled(config: Config): boolean;
  /** Starts it; a component that opens several listeners gives one Component per address. */
  start(node: NodeParts): Started | Promise<Started>;
}

/**
 * A periodic job as a component: started with its interval, stopped by the node. With a `gate` (the cluster's
 * job lease of that name) it runs on one node of the cluster at a time.
 */
function job(
  name: string,
  task: { start(ms: number, gate?: () => Promise<boolean>): void; stop(): Promise<void> },
  ms: number,
  gate?: () => Promise<boolean>,
): Component {
  task.start(ms, gate);
  return {
    name,
    address: gate === undefined ? 'internal' : 'internal, one node at a time',
    stop: () => task.stop(),
  };
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

export const COMPONENTS: readonly ComponentSpec[] = [
  {
    name: 'dkim-scheduler',
    enabled: (config) => config.dkim.scheduler,
    start: ({ config, services, leases }) =>
      job(
        'dkim-scheduler',
        services.rotation,
        durationMs(config.dkim.checkInterval),
        leases.gate('dkim-rotation'),
      ),
  },
  {
    name: 'dns',
    enabled: (config) => config.dns.enabled,
    async start({ config, services, runtime, metrics }) {
      const dns = await startDns({
        settings: { ...dnsSettings(config), zone: await servedZoneSettings(services) },
        source: zoneSource(services),
        repo: services.store.dns,
        clock: runtime.clock,
        random: runtime.random,
        log: runtime.log,
      });
      metrics.dns(() => dns.metrics());
      return { name: 'dns', address: `dns://${hostForUrl(dns.host)}:${dns.port}`, stop: () => dns.stop() };
    },
  },
  {
    name: 'checks',
    enabled: (config) => config.checks.enabled,
    start({ config, services, runtime, leases }) {
      const scheduler = new CheckScheduler({
        service: services.checks,
        concurrency: config.checks.concurrency,
        // Look for due domains a few times per interval; each domain's own due time carries the jitter.
        tickMs: Math.min(60_000, (config.checks.interval * 1000) / 10),
        log: runtime.log,
      });
      scheduler.start(leases.gate('checks'));
      const address = `scheduler, every ${config.checks.interval} s, one node at a time`;
      return { name: 'checks', address, stop: () => scheduler.stop() };
    },
  },
  {
    // The MX hosts of domains with MTA-STS, looked up again: one outside the policy raises an event.
    name: 'mta-sts-recheck',
    enabled: (config) => config.checks.enabled,
    start({ config, services, runtime }) {
      const task = new PeriodicTask(
        () => services.mtaSts.recheck(),
        (error) => runtime.log.warn({ component: 'mta-sts', err: error }, 'MX re-check failed'),
      );
      return job('mta-sts-recheck', task, durationMs(config.edge.mtaSts.checkInterval));
    },
  },
  {
    name: 'dmarc-scheduler',
    enabled: (config) => config.dmarc.scheduler,
    start: ({ config, services, leases }) =>
      job(
        'dmarc-scheduler',
        services.dmarcScheduler,
        durationMs(config.dmarc.tickInterval),
        leases.gate('dmarc-scheduler'),
      ),
  },
  {
    // Alerts on change and the digests (src/alerts), on one node of a cluster at a time.
    name: 'alerts',
    enabled: (config) => config.alerts.enabled,
    start: ({ config, services, leases }) =>
      job('alerts', services.alerts, durationMs(config.alerts.interval), leases.gate('alerts')),
  },
  {
    name: 'event-delivery',
    enabled: (config) => config.events.delivery,
    start: ({ config, services }) =>
      job('event-delivery', services.delivery, durationMs(config.events.deliveryInterval)),
  },
  {
    // Expired sessions are deleted at start and hourly (PeriodicTask times each pass from the end of the last).
    name: 'sessions',
    enabled: (config) => config.http.enabled,
    start({ services, runtime }) {
      const purge = new PeriodicTask(
        () => services.sessions.purgeExpired(),
        (error) => runtime.log.warn({ component: 'http', err: error }, 'could not purge expired sessions'),
      );
      return job('sessions', purge, 3_600_000);
    },
  },
  {
    // Expired soft-bounce suppressions are deleted hourly (with audit rows), on one node of a cluster at a time.
    name: 'suppression-purge',
    enabled: () => true,
    start({ services, runtime, leases }) {
      const purge = new PeriodicTask(
        () => services.suppressions.purgeExpired(),
        (error) =>
          runtime.log.warn({ component: 'suppression', err: error }, 'could not purge expired suppressions'),
      );
      return job('suppression-purge', purge, 3_600_000, leases.gate('suppression-purge'));
    },
  },
  {
    name: 'http',
    enabled: (config) => config.http.enabled,
    async start({ config, services, runtime, version, metrics }) {
      const http = await listenHttp(
        restApi(config, services, runtime, version, metrics),
        config.http.host,
        config.http.port,
        {
          connections: {
            maxConnections: config.http.maxConnections,
            maxConnectionsPerClient: config.http.maxConnectionsPerIp,
          },
          headersTimeoutMs: durationMs(config.http.headersTimeout),
        },
        runtime.log,
      );
      return {
        name: 'http',
        address: `http://${hostForUrl(http.host)}:${http.port}`,
        stop: () => http.close(),
      };
    },
  },
  {
    name: 'acme',
    enabled: (config) => config.edge.acme.enabled,
    start({ config, services }) {
      services.edge.acme.start(durationMs(config.edge.acme.checkInterval));
      const address = `scheduler, ${config.edge.acme.directoryUrl}`;
      return { name: 'acme', address, stop: () => services.edge.acme.stop() };
    },
  },
  {
    // The customers' host names over HTTP and HTTPS; `edge` stops both listeners.
    name: 'edge',
    enabled: (config) => config.edge.enabled,
    async start({ config, services, runtime, metrics }) {
      const edge = await startEdge({
        settings: edgeSettings(config),
        repo: services.store.edge,
        kek: services.kek,
        routes: services.edge.routes,
        log: runtime.log,
      });
      services.edge.onChange(() =>
        edge
          .refresh()
          .catch((error: unknown) => runtime.log.warn({ component: 'edge', err: error }, 'reload failed')),
      );
      metrics.tracking(() => services.tracking.service.stats());
      const host = hostForUrl(edge.host);
      return [
        { name: 'edge', address: `http://${host}:${edge.httpPort}`, stop: () => edge.stop() },
        { name: 'edge-https', address: `https://${host}:${edge.httpsPort}`, stop: () => Promise.resolve() },
      ];
    },
  },
  {
    // `gateway` (submission) stops every listener; the others are there for their addresses.
    name: 'gateway',
    enabled: (config) => config.gateway.enabled,
    async start({ config, services, runtime, verpKey, metrics }) {
      const running = await startGatewayComponent({
        config,
        domains: services.store.domains,
        // The dkim capability's key cache: active keys, plus retiring ones inside their overlap. An unusable set
        // is no key at all, which the gateway answers with 4xx and a critical event, never unsigned mail.
        signer: dkimSigner(runtime.signingKeys ?? services.signingKeys),
        repo: services.store.gateway,
        events: services.eventSink,
        suppressions: services.suppressions,
        authenticate: (username, password) => services.smtpCredentials.authenticate(username, password),
        tenantIdOf: async (name) => (await services.store.accounts.findTenantByName(name))?.id ?? null,
        verpKey: await verpKey(),
        // Click and open tracking and one-click unsubscribe URLs, per recipient, before signing (docs/tracking.md).
        rewriter: gatewayLinkRewriter(await services.tracking.keys()),
        ...(runtime.mailResolver ? { resolver: runtime.mailResolver } : {}),
        clock: runtime.clock,
        random: runtime.random,
        log: runtime.log,
        organizationalDomain: (name) => services.domains.apexOf(name),
      });
      metrics.gateway(() => running.gateway.stats());
      return running.listeners.map((l, i) => ({
        name: l.kind === 'submission' ? 'gateway' : `gateway-${l.kind}`,
        address: `smtp://${hostForUrl(l.host)}:${l.port}`,
        stop: i === 0 ? () => running.stop() : () => Promise.resolve(),
      }));
    },
  },
  {
    name: 'inbound',
    enabled: (config) => config.inbound.enabled,
    async start({ config, services, runtime, verpKey }) {
      const key = await verpKey();
      const { platform } = services;
      const bounceDomain = config.gateway.bounceDomain || `${config.platform.bounceLabel}.${platform.zone}`;
      // Also the keys an earlier version derived from each KEK in the file, for mail sent before it.
      const verpKeys = () => [key, ...[...services.kek.keys().byId.values()].map(verpKeyFrom)];
      const withAnyKey =
        (parse: (k: Buffer, a: string) => ReturnType<AddressReader>): AddressReader =>
        (address) => {
          for (const k of verpKeys()) {
            const named = parse(k, address);
            if (named !== null) return named;
          }
          return null;
        };
      const feedbackDeps = {
        messages: services.store.gateway,
        repo: services.store.feedback,
        suppressions: services.suppressions,
        events: services.eventSink,
        clock: runtime.clock,
        log: runtime.log,
      };
      return startInboundComponent(config.inbound, {
        mxHost: platform.mxHost,
        reportsHost: platform.reportsHost,
        postmasterDomains: [platform.zone, bounceDomain],
        reports: {
          accepts: async (address) => (await services.reports.tokenDomains([address])).length > 0,
          deliver: (message) => services.reports.ingest({ ...message, via: 'smtp' }),
        },
        // DSNs to the gateway's VERP return paths (their MX is this listener) become bounce records.
        bounces:
          runtime.bounces ??
          bounceIntake({
            verpKeys,
            repo: services.store.gateway,
            events: services.eventSink,
            suppressions: services.suppressions,
            clock: runtime.clock,
            log: runtime.log,
          }),
        // ARF reports from receivers' feedback loops (docs/complaints.md) become complaints.
        feedback: feedbackIntake({
          ...feedbackDeps,
          addresses: [platform.reportsHost, platform.mxHost, bounceDomain].map(
            (host) => `${config.inbound.feedbackLocalPart}@${host}`,
          ),
          readReturnPath: withAnyKey(parseVerpAddress),
          onComplaint: (record) => services.figures.checkComplaintRate(record),
        }),
        // Mail to the List-Unsubscribe mailto addresses the gateway writes unsubscribes their recipient.
        unsubscribes: unsubscribeIntake({
          ...feedbackDeps,
          readUnsubscribe: withAnyKey(parseUnsubscribeAddress),
        }),
        log: runtime.log,
      });
    },
  },
  {
    name: 'imap',
    enabled: (config) => config.reports.imap.length > 0,
    start: ({ config, services, runtime, leases }) =>
      startImapPollers(config.reports.imap, config.inbound.maxMessageBytes, {
        ingest: services.reports,
        log: runtime.log,
        gate: (mailbox) => leases.gate(mailbox),
        tenantIdByName: async (name) => (await services.accounts.tenantByName(name)).id,
      }),
  },
  {
    // Deletes opens and clicks older than tracking.retentionDays.
    name: 'tracking-purge',
    enabled: () => true,
    start({ config, services, runtime, leases }) {
      const task = new PeriodicTask(
        () => services.tracking.service.purge(),
        (error) => runtime.log.warn({ component: 'tracking', err: error }, 'purge failed'),
      );
      return job(
        'tracking-purge',
        task,
        durationMs(config.tracking.purgeInterval),
        leases.gate('tracking-purge'),
      );
    },
  },
  {
    name: 'reports',
    enabled: () => true,
    start: ({ services, runtime, leases }) =>
      startReportMaintenance({
        ingest: services.reports,
        reverseNames: services.reverseNames,
        log: runtime.log,
        gate: leases.gate('report-maintenance'),
      }),
  },
];

/** The REST API and the dashboard over the services (also what /openapi.json, and so the dashboard's types, come from). */
export function restApi(
  config: Config,
  services: Services,
  runtime: NodeRuntime,
  version: string,
  metrics?: MetricsText,
) {
  return createApi({
    ...(metrics === undefined
      ? {}
      : {
          metrics: {
            contentType: metrics.contentType,
            render: () => metrics.render(),
            token: config.http.metricsToken,
          },
        }),
    accounts: services.accounts,
    domains: services.domains,
    dkim: services.dkim,
    events: services.events,
    dmarc: services.dmarc,
    checks: services.checks,
    dnsApply: services.dnsApply,
    domainConnect: services.domainConnect,
    smtpCredentials: services.smtpCredentials,
    traces: services.traces,
    suppressions: services.suppressions,
    figures: services.figures,
    reports: {
      ingest: services.reports,
      statistics: services.reportStats,
      maxUploadBytes: config.reports.maxUploadBytes,
    },
    sessions: services.sessions,
    team: services.team,
    passwords: services.passwords,
    overview: services.overview,
    edge: services.edge.status,
    mtaSts: services.mtaSts,
    bimi: services.bimi,
    alerts: services.alerts,
    tracking: services.tracking.service,
    cookie: {
      publicOrigin: config.dashboard.publicOrigin,
      maxAgeSeconds: Math.floor(durationMs(config.dashboard.sessionMaxAge) / 1000),
    },
    ...(config.dashboard.enabled ? { dashboardDir: dashboardDir(config) } : {}),
    bodyLimits: { signInBytes: config.http.maxSignInBodyBytes, jsonBytes: config.http.maxBodyBytes },
    log: runtime.log,
    version,
    ready: () => pingStore(services.store),
  });
}

/** The VERP key, read from the store once, on first use. */
export function verpKeyOnce(services: Services): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () =>
    (key ??= platformSecret(services.store.platformSecrets, services.kek, 'verp', {
      random: services.runtime.random,
      now: () => services.runtime.clock.now().toISOString(),
    }));
}
