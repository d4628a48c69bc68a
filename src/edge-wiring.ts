/**
 * Part of the composition root: the edge's services in one block (src/edge): the status for the API and the CLI,
 * the ACME scheduler with its issuer and CA, and the route table, which starts with the click host's root
 * redirect. Capabilities that serve on customer hosts add their routes to it before the edge starts.
 */
import { readFileSync } from 'node:fs';
import type { Config } from './config/index.ts';
import { durationMs } from './core/index.ts';
import type { DomainName } from './domain-name/index.ts';
import type { DomainService } from './domains/index.ts';
import {
  AcmeScheduler,
  CertificateIssuer,
  EdgeService,
  RouteTable,
  acmeClientCa,
  clickHostRole,
  clickRootRoute,
  mtaStsHostRole,
  type EdgeSettings,
} from './edge/index.ts';
import type { EventSink } from './events/index.ts';
import { mtaStsPolicyRoute } from './mta-sts/index.ts';
import { bimiLogoRoutes } from './bimi/index.ts';
import { mtaStsMaxAge } from './node-settings.ts';
import type { NodeRuntime } from './runtime.ts';
import type { KekSource } from './secrets/index.ts';
import type { Store } from './store/index.ts';

/** The edge's services: host and certificate status, the ACME scheduler, and the routes by host role. */
export interface EdgeServices {
  readonly status: EdgeService;
  readonly acme: AcmeScheduler;
  /** Capabilities that serve on customer hosts add their routes here, before the edge starts. */
  readonly routes: RouteTable;
  /** Calls `listener` when this node stored a certificate or changed the hosts (the running edge reloads). */
  onChange(listener: () => Promise<void>): void;
  /** Tells this node's listeners now that hosts or certificates changed (other writers wait for the poll). */
  changed(): Promise<void>;
}

export function edgeServices(
  config: Config,
  d: { store: Store; kek: KekSource; domains: DomainService; events: EventSink },
  runtime: NodeRuntime,
): EdgeServices {
  const { clock, random, log } = runtime;
  const a = config.edge.acme;
  const roles = [clickHostRole, mtaStsHostRole];
  const listeners = new Set<() => Promise<void>>();
  const changed = async () => {
    await Promise.all([...listeners].map((listener) => listener()));
  };
  const patienceMs = runtime.acmePatienceMs ?? 90_000;
  const ca =
    runtime.acmeCa ??
    acmeClientCa({
      directoryUrl: a.directoryUrl,
      email: a.email,
      extraRootsPem: a.caFile === '' ? null : readFileSync(a.caFile, 'utf8'),
      timeoutMs: durationMs(a.requestTimeout),
      repo: d.store.edge,
      kek: d.kek,
      clock,
    });
  const issuer = new CertificateIssuer({
    repo: d.store.edge,
    ca,
    kek: d.kek,
    events: d.events,
    clock,
    random,
    keyType: a.keyType,
    retry: { baseMs: durationMs(a.retryBase), maxMs: durationMs(a.retryMax) },
    maxOrdersPerHour: a.maxOrdersPerHour,
    patienceMs,
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log,
    onCertificate: changed,
  });
  return {
    status: new EdgeService({ repo: d.store.edge, domains: d.domains, roles, clock }),
    acme: new AcmeScheduler({
      repo: d.store.edge,
      domains: () => d.store.domains.listAll(),
      roles,
      issuer,
      clock,
      random,
      log,
      concurrency: a.concurrency,
      leaseMs: patienceMs + 60_000,
      onHostsChanged: changed,
    }),
    routes: new RouteTable().add(
      clickRootRoute((name) => d.domains.apexOf(name as DomainName)),
      mtaStsPolicyRoute({ domainById: (id) => d.domains.byId(id), maxAge: mtaStsMaxAge(config) }),
      ...bimiLogoRoutes(d.store.bimi),
    ),
    onChange: (listener) => listeners.add(listener),
    changed,
  };
}

/** The edge listeners' settings from the configuration. */
export function edgeSettings(config: Config): EdgeSettings {
  const e = config.edge;
  return {
    host: e.host,
    httpPort: e.httpPort,
    httpsPort: e.httpsPort,
    limits: {
      maxHeaderBytes: e.maxHeaderBytes,
      maxConnections: e.maxConnections,
      maxConnectionsPerClient: Math.min(e.maxConnections, e.maxConnectionsPerIp),
      idleTimeoutMs: e.idleTimeoutSeconds * 1000,
      requestTimeoutMs: e.requestTimeoutSeconds * 1000,
    },
    tls: { sessionTickets: e.sessionTickets },
    pollIntervalMs: e.pollIntervalMs,
  };
}
