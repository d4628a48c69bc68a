/**
 * Part of the composition root: turns the validated configuration into each capability's own settings type, and
 * lists the configuration rules only a capability can judge. Capabilities never read `Config`; what they need
 * arrives from here as plain values.
 */
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, ConfigRule } from './config/index.ts';
import {
  REFUSAL_ALLOWANCE,
  shareDescriptors,
  type DescriptorBudget,
  type ListenerDemand,
} from './connections/index.ts';
import { AppError, durationMs } from './core/index.ts';
import { resolvePolicy, type PolicyText } from './dkim/index.ts';
import { dnsSettingsFrom, type DnsConfig, type DnsSettings } from './dns/index.ts';
import { normaliseDomainName, type DomainName } from './domain-name/index.ts';
import type { PlatformNames } from './domains/index.ts';
import type { RetryPolicy } from './events/index.ts';
import type { IngestSettings } from './reports/index.ts';
import { parseServerAddress, recursiveServers, type DnsServerAddress } from './resolver/index.ts';
import type { StoreOptions } from './store/index.ts';

/** The rules of the configuration that need a capability to judge; every loader of a node's config passes them. */
export const configRules: readonly ConfigRule[] = [
  // The platform's rotation defaults must hold together (lead ≥ 2×TTL; lead + overlap + retention ≤ period).
  (config) =>
    resolvePolicy(rotationDefaults(config), {}, config.platform.ttl).problems.map((p) => ({
      path: `dkim.${p.path}`,
      message: p.message,
    })),
  // The DNS settings derive names from the zone, which the schema has already checked (an invalid zone is
  // reported there, once).
  (config) =>
    normaliseDomainName(config.platform.zone).ok ? dnsSettingsFrom(dnsConfig(config)).problems : [],
];

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
    mtaStsMaxAge: mtaStsMaxAge(config),
  };
}

/** max_age of MTA-STS policies by mode, in seconds (RFC 8461 §3.2). */
export function mtaStsMaxAge(config: Config): { testing: number; enforce: number } {
  const m = config.edge.mtaSts;
  return {
    testing: Math.round(durationMs(m.maxAgeTesting) / 1000),
    enforce: Math.round(durationMs(m.maxAgeEnforce) / 1000),
  };
}

/** What the dns capability reads: the platform names, its own section, and the gateway's return-path domain. */
export function dnsConfig(config: Config): DnsConfig {
  return { platform: config.platform, dns: config.dns, bounceDomain: config.gateway.bounceDomain };
}

/** The dns settings of a validated config (its problems were reported when the config was read). */
export function dnsSettings(config: Config): DnsSettings {
  const outcome = dnsSettingsFrom(dnsConfig(config));
  if (!('settings' in outcome)) {
    throw new AppError('config_invalid', outcome.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
  return outcome.settings;
}

export function storeOptions(config: Config, onIdleError: (error: Error) => void): StoreOptions {
  return config.store.driver === 'sqlite'
    ? { driver: 'sqlite', path: config.store.sqlitePath }
    : { driver: 'postgres', url: config.store.postgresUrl, onIdleError };
}

/** The platform's DKIM rotation defaults, which a domain may override. */
export function rotationDefaults(config: Config): PolicyText {
  const d = config.dkim;
  return {
    rotationPeriod: d.rotationPeriod,
    leadTime: d.leadTime,
    overlap: d.overlap,
    retention: d.retention,
    agingThreshold: d.agingThreshold,
    ed25519: d.ed25519,
    rsaBits: d.rsaBits,
  };
}

export function eventRetry(config: Config): RetryPolicy {
  return {
    maxAttempts: config.events.maxAttempts,
    baseMs: durationMs(config.events.retryBase),
    maxMs: durationMs(config.events.retryMax),
  };
}

export function reportIngestSettings(config: Config): IngestSettings {
  const r = config.reports;
  return {
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
  };
}

/** The recursive resolvers of `resolvers`: the probes' servers and their time limit. */
export function recursiveLookups(config: Config): { servers: readonly string[]; timeoutMs: number } {
  return { servers: config.resolvers.servers, timeoutMs: durationMs(config.resolvers.timeout) };
}

/** Where the checks start their walk, and which resolvers give their recursive view (none when it is off). */
export function checkServers(config: Config): {
  roots: DnsServerAddress[];
  recursiveResolvers: DnsServerAddress[];
} {
  return {
    roots: serverList(config.checks.rootServers),
    // The same servers as every other recursive lookup: the configured ones, else the system's (resolv.conf).
    recursiveResolvers: config.checks.recursiveView ? recursiveServers(config.resolvers.servers) : [],
  };
}

function serverList(list: readonly string[], defaultPort = 53): DnsServerAddress[] {
  return list.flatMap((s) => parseServerAddress(s, defaultPort) ?? []);
}

/** The dashboard's sign-in limiter, session lifetimes and set-password links. */
export function sessionLimits(config: Config): {
  signIn: { perAccount: number; perClient: number; windowMs: number };
  idleMs: number;
  absoluteMs: number;
  linkTtlMs: number;
} {
  const d = config.dashboard;
  return {
    signIn: {
      perAccount: d.signInFailures,
      perClient: d.signInFailuresPerClient,
      windowMs: durationMs(d.signInWindow),
    },
    idleMs: durationMs(d.sessionIdle),
    absoluteMs: durationMs(d.sessionMaxAge),
    linkTtlMs: durationMs(d.setPasswordLinkTtl),
  };
}

/** Where the built dashboard is: dashboard.dir, or web-dist/ beside src/ in this installation. */
export function dashboardDir(config: Config): string {
  return config.dashboard.dir !== ''
    ? resolvePath(config.dashboard.dir)
    : fileURLToPath(new URL('../web-dist/', import.meta.url));
}

/**
 * The configuration with each listener's connection maximum fitted to the process's descriptors less
 * `limits.descriptorReserve` (src/connections/descriptor-budget.ts): one listener under attack then cannot take
 * the descriptors the others, the store and outgoing connections need. Per-client maxima never exceed the fitted
 * overall ones.
 */
export function fitConnectionLimits(
  config: Config,
  descriptorLimit: number,
): { config: Config; budget: DescriptorBudget } {
  const gatewayListeners =
    1 + (config.gateway.implicitTls.enabled ? 1 : 0) + (config.gateway.relay.enabled ? 1 : 0);
  const demand = (name: string, enabled: boolean, maxConnections: number, count = 1): ListenerDemand[] =>
    enabled
      ? Array.from({ length: count }, () => ({ name, maxConnections, overhead: REFUSAL_ALLOWANCE }))
      : [];
  const budget = shareDescriptors(descriptorLimit, config.limits.descriptorReserve, [
    ...demand('http', config.http.enabled, config.http.maxConnections),
    ...demand('dns', config.dns.enabled, config.dns.tcpMaxConnections),
    ...demand('gateway', config.gateway.enabled, config.gateway.limits.maxConnections, gatewayListeners),
    ...demand('inbound', config.inbound.enabled, config.inbound.maxConnections),
  ]);
  const share = (name: string, configured: number) =>
    budget.shares.find((s) => s.name === name)?.maxConnections ?? configured;
  const http = share('http', config.http.maxConnections);
  const dns = share('dns', config.dns.tcpMaxConnections);
  const gateway = share('gateway', config.gateway.limits.maxConnections);
  const inbound = share('inbound', config.inbound.maxConnections);
  return {
    budget,
    config: {
      ...config,
      http: {
        ...config.http,
        maxConnections: http,
        maxConnectionsPerIp: Math.min(http, config.http.maxConnectionsPerIp),
      },
      dns: {
        ...config.dns,
        tcpMaxConnections: dns,
        tcpMaxConnectionsPerIp: Math.min(dns, config.dns.tcpMaxConnectionsPerIp),
      },
      gateway: {
        ...config.gateway,
        limits: {
          ...config.gateway.limits,
          maxConnections: gateway,
          maxConnectionsPerIp: Math.min(gateway, config.gateway.limits.maxConnectionsPerIp),
        },
      },
      inbound: {
        ...config.inbound,
        maxConnections: inbound,
        maxConnectionsPerIp: Math.min(inbound, config.inbound.maxConnectionsPerIp),
      },
    },
  };
}
