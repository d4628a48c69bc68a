/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own.
 */
import { readFileSync } from 'node:fs';
import { AccountService } from './accounts/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import type { Config } from './config/index.ts';
import {
  AppError,
  cryptoRandom,
  systemClock,
  type Clock,
  type Logger,
  type RandomSource,
} from './core/index.ts';
import { dnsSettingsFrom, startDns, type DnsSettings, type ZoneSource } from './dns/index.ts';
import {
  DomainService,
  parsePublicSuffixList,
  type DomainName,
  type PlatformNames,
  type PublicSuffixList,
} from './domains/index.ts';
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
  close(): Promise<void>;
}

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
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
  return { config, store, accounts, domains, platform, close: () => store.close() };
}

/** The sender domains' hosted records, as the dns capability reads them. */
export function zoneSource(services: Pick<Services, 'store' | 'domains'>): ZoneSource {
  return {
    listDomains: () => services.store.domains.listAll(),
    findDomain: (id) => services.store.domains.findById(id),
    hostedRecords: async (domain) => (await services.domains.planFor(domain)).hosted,
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
  const services = await openServices(config, runtime);
  const components: Component[] = [];
  try {
    if (config.http.enabled) {
      const api = createApi({
        accounts: services.accounts,
        domains: services.domains,
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
