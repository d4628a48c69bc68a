/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own.
 */
import { readFileSync } from 'node:fs';
import { AccountService } from './accounts/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import type { Config } from './config/index.ts';
import {
  cryptoRandom,
  quietLogger,
  systemClock,
  type Clock,
  type Logger,
  type RandomSource,
} from './core/index.ts';
import {
  DomainService,
  parsePublicSuffixList,
  type DomainName,
  type PlatformNames,
  type PublicSuffixList,
} from './domains/index.ts';
import {
  ReportIngestService,
  ReportStatistics,
  ReverseNameWorker,
  dnsReverseResolver,
  sourceClassifier,
  startReportComponents,
  type BounceSink,
  type ReverseResolver,
} from './reports/index.ts';
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
  readonly reports: ReportIngestService;
  readonly reportStats: ReportStatistics;
  /** Null when reverse DNS of report sources is switched off. */
  readonly reverseNames: ReverseNameWorker | null;
  close(): Promise<void>;
}

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
  /** Resolver for the reverse names of report sources (tests give their own). */
  readonly reverseResolver?: ReverseResolver;
  /** Where mail to bounce addresses goes; without one, the inbound listener refuses bounce addresses. */
  readonly bounces?: BounceSink;
  readonly log?: Logger;
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
  };
}

/** Opens the store (applying migrations) and builds the services. */
export async function openServices(config: Config, runtime: Runtime = {}): Promise<Services> {
  const clock = runtime.clock ?? systemClock;
  const random = runtime.random ?? cryptoRandom;
  const store = openStore(
    config.store.driver === 'sqlite'
      ? { driver: 'sqlite', path: config.store.sqlitePath }
      : { driver: 'postgres', url: config.store.postgresUrl },
  );
  await store.migrate();
  const publicSuffixes =
    runtime.publicSuffixes ?? parsePublicSuffixList(readFileSync(config.domains.publicSuffixList, 'utf8'));
  const platform = platformNames(config);
  const accounts = new AccountService({ repo: store.accounts, clock, random });
  const domains = new DomainService({
    repo: store.domains,
    // DKIM keys arrive with the dkim capability; until then no domain has a published key.
    keys: { publishedKeys: () => Promise.resolve([]) },
    rules: { publicSuffixes, platformZone: platform.zone },
    platform,
    defaults: { bounceLabel: config.platform.bounceLabel, clickLabel: config.platform.clickLabel },
    clock,
    random,
  });
  const log = runtime.log ?? quietLogger();
  const reverseNames = config.reports.reverseDns.enabled
    ? new ReverseNameWorker({
        resolver: runtime.reverseResolver ?? dnsReverseResolver(config.reports.reverseDns),
        stats: store.reportStats,
        clock,
        log,
        refreshDays: config.reports.reverseDns.refreshDays,
        concurrency: 4,
      })
    : null;
  const r = config.reports;
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
    classifier: sourceClassifier(config.platform.egressIps, r.knownForwarders),
    findDomain: (tenantId, name) => domains.get(tenantId, name),
    silentAfterDays: r.silentAfterDays,
  });
  return {
    config,
    store,
    accounts,
    domains,
    platform,
    reports,
    reportStats,
    reverseNames,
    close: () => store.close(),
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
  const services = await openServices(config, { ...runtime, log: runtime.log ?? log });
  const components: Component[] = [];
  try {
    if (config.http.enabled) {
      const api = createApi({
        accounts: services.accounts,
        domains: services.domains,
        log,
        version: VERSION,
        ready: () => pingStore(services.store),
        reports: {
          ingest: services.reports,
          statistics: services.reportStats,
          maxUploadBytes: config.reports.maxUploadBytes,
        },
      });
      const http = await listenHttp(api, config.http.host, config.http.port);
      components.push({
        name: 'http',
        address: `http://${hostForUrl(http.host)}:${http.port}`,
        stop: () => http.close(),
      });
    }
    components.push(
      ...(await startReportComponents({
        config,
        ingest: services.reports,
        reverseNames: services.reverseNames,
        log,
        mxHost: services.platform.mxHost,
        reportsHost: services.platform.reportsHost,
        tenantIdByName: async (name) => (await services.accounts.tenantByName(name)).id,
        ...(runtime.bounces === undefined ? {} : { bounces: runtime.bounces }),
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

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
