/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own.
 */
import { readFileSync } from 'node:fs';
import { AccountService, SmtpCredentialService } from './accounts/index.ts';
import { createApi, listenHttp } from './api/index.ts';
import type { Config } from './config/index.ts';
import { cryptoRandom, systemClock, type Clock, type Logger, type RandomSource } from './core/index.ts';
import {
  DomainService,
  parsePublicSuffixList,
  type DomainName,
  type PlatformNames,
  type PublicSuffixList,
} from './domains/index.ts';
import type { EventSink } from './events/index.ts';
import {
  startGatewayComponent,
  TraceService,
  type MailResolver,
  type SigningKeySource,
} from './gateway/index.ts';
import { parseKekFile } from './secrets/index.ts';
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
  readonly smtpCredentials: SmtpCredentialService;
  readonly traces: TraceService;
  close(): Promise<void>;
}

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
  /** The gateway's DKIM keys. Until the dkim capability is wired here, no domain has a key to sign with. */
  readonly signingKeys?: SigningKeySource;
  /** DNS for the gateway's direct (MX) delivery; the system resolver by default. */
  readonly mailResolver?: MailResolver;
  readonly events?: EventSink;
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
  const smtpCredentials = new SmtpCredentialService({ repo: store.smtpCredentials, clock, random });
  const traces = new TraceService(store.gateway);
  return {
    config,
    store,
    accounts,
    domains,
    platform,
    smtpCredentials,
    traces,
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
  const services = await openServices(config, runtime);
  const components: Component[] = [];
  try {
    if (config.http.enabled) {
      const api = createApi({
        accounts: services.accounts,
        domains: services.domains,
        smtpCredentials: services.smtpCredentials,
        traces: services.traces,
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
    if (config.gateway.enabled) components.push(...(await gatewayComponents(config, services, log, runtime)));
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
): Promise<Component[]> {
  const kek = parseKekFile(readFileSync(config.secrets.kekFile, 'utf8'));
  if (!kek.ok) throw new Error(`${config.secrets.kekFile}: ${kek.error}`);
  const running = await startGatewayComponent({
    config,
    domains: services.store.domains,
    // TODO(merge): wire the dkim capability's signer-facing key source here.
    keys: runtime.signingKeys ?? { keysFor: () => Promise.resolve([]) },
    repo: services.store.gateway,
    events: runtime.events ?? loggedEvents(log),
    authenticate: (username, password) => services.smtpCredentials.authenticate(username, password),
    tenantIdOf: async (name) => (await services.store.accounts.findTenantByName(name))?.id ?? null,
    kek: kek.value.current.key,
    ...(runtime.mailResolver ? { resolver: runtime.mailResolver } : {}),
    clock: runtime.clock ?? systemClock,
    random: runtime.random ?? cryptoRandom,
    log,
  });
  return running.listeners.map((l, i) => ({
    name: l.kind === 'submission' ? 'gateway' : `gateway-${l.kind}`,
    address: `smtp://${hostForUrl(l.host)}:${l.port}`,
    stop: i === 0 ? () => running.stop() : () => Promise.resolve(),
  }));
}

/** Until the events capability stores and delivers events, they go to the log. */
function loggedEvents(log: Logger): EventSink {
  return {
    emit(event) {
      const level = event.severity === 'critical' ? 'error' : event.severity === 'warning' ? 'warn' : 'info';
      log[level]({ component: 'events', event }, event.message);
      return Promise.resolve();
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
