import { PeriodicTask, type Logger } from '../core/index.ts';
import type { KekSource } from '../secrets/index.ts';
import { startEdgeServers, type EdgeLimits, type EdgeTls } from './edge-server.ts';
import { HostTable } from './host-table.ts';
import type { EdgeRepository } from './ports.ts';
import { handleRequest } from './request-handler.ts';
import type { RouteTable } from './route-table.ts';
import { SecureContextCache } from './secure-context-cache.ts';

export interface EdgeSettings {
  readonly host: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly limits: EdgeLimits;
  readonly tls: EdgeTls;
  /** How often the store is asked whether hosts or certificates changed. */
  readonly pollIntervalMs: number;
}

export interface EdgeComponentDeps {
  readonly settings: EdgeSettings;
  readonly repo: EdgeRepository;
  readonly kek: KekSource;
  readonly routes: RouteTable;
  readonly log: Logger;
}

export interface RunningEdge {
  readonly host: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Reloads the hosts now (this node just stored a certificate or added a host). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The edge component: the host table and TLS contexts over the store, the request handler with the route
 * table, and both listeners. Every node serves every host: all it needs is in the store.
 */
export async function startEdge(deps: EdgeComponentDeps): Promise<RunningEdge> {
  const { settings, repo, log } = deps;
  const contexts = new SecureContextCache(repo, deps.kek, settings.tls);
  const hosts = new HostTable(repo, (changed) => {
    contexts.drop(changed);
    log.debug({ component: 'edge', changed: changed.length }, 'hosts reloaded');
  });
  await hosts.refresh(true);
  let httpsPort = settings.httpsPort;
  const listeners = await startEdgeServers({
    host: settings.host,
    httpPort: settings.httpPort,
    httpsPort: settings.httpsPort,
    limits: settings.limits,
    tls: settings.tls,
    log,
    handle: (head) =>
      handleRequest(head, {
        host: (name) => hosts.get(name),
        challenge: (token) => repo.challenge(token),
        routes: deps.routes,
        httpsPort: () => httpsPort,
      }),
    sni: (servername) => {
      const host = hosts.get(servername);
      return host === undefined ? null : contexts.contextFor(host);
    },
  });
  httpsPort = listeners.httpsPort;
  const poll = new PeriodicTask(
    () => hosts.refresh(),
    (error) => log.warn({ component: 'edge', err: error }, 'could not reload the hosts'),
  );
  poll.start(settings.pollIntervalMs);
  return {
    host: listeners.host,
    httpPort: listeners.httpPort,
    httpsPort: listeners.httpsPort,
    async refresh() {
      await hosts.refresh();
    },
    async stop() {
      await poll.stop();
      await listeners.close();
    },
  };
}
