/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own.
 */
import { readFileSync } from 'node:fs';
import { AccountService } from './accounts/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import type { Config } from './config/index.ts';
import { CheckScheduler, CheckService, checkDomain, DelegationCache } from './checks/index.ts';
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
import type { EventSink } from './events/index.ts';
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
  readonly checks: CheckService;
  readonly events: EventSink;
  close(): Promise<void>;
}

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
  /** Where events go. Until the events capability is wired, they are logged. */
  readonly events?: EventSink;
  /** The DNS client checks use; a stub resolver over UDP/TCP by default. */
  readonly resolver?: DnsResolver;
  readonly log?: Logger;
}

/** A stand-in event sink until the events store lands: each event becomes a log line. */
export function logEventSink(log: Logger): EventSink {
  return {
    emit(event) {
      log.info({ component: 'events', event }, event.message);
      return Promise.resolve();
    },
  };
}

function serverList(list: readonly string[], defaultPort = 53): DnsServerAddress[] {
  return list.flatMap((s) => parseServerAddress(s, defaultPort) ?? []);
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
  const events = runtime.events ?? logEventSink(log);
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
    events,
    check: (plan) =>
      checkDomain(plan, {
        resolver,
        roots: serverList(config.checks.rootServers),
        nameserverPort: config.checks.nameserverPort,
        recursiveResolvers: serverList(config.checks.resolvers),
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
  return {
    config,
    store,
    accounts,
    domains,
    platform,
    checks,
    events,
    async close() {
      stub?.close();
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
    if (config.http.enabled) {
      const api = createApi({
        accounts: services.accounts,
        domains: services.domains,
        checks: services.checks,
        log,
        version: VERSION,
        ready: () => pingStore(services.store),
      });
      const http = await listenHttp(api, config.http.host, config.http.port);
      components.push({
        name: 'http',
        address: `http://${hostForUrl(http.host)}:${http.port}`,
        stop: () => http.close(),
      });
    }
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
