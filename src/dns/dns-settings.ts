import { normaliseDomainName } from '../domain-name/index.ts';
import type { NotifyTarget } from './notifier.ts';
import type { RateLimitSettings } from './rate-limiter.ts';
import { readSecretFile } from './secret-file.ts';
import { secondaryKey, type Secondary } from './transfer-acl.ts';
import { parseTsigKey, type TsigKey } from '../dns-wire/index.ts';
import type { ZoneSettings } from './zone-builder.ts';

/** Everything the dns component needs, derived from the configuration once and checked. */
export interface DnsSettings {
  readonly zone: ZoneSettings;
  readonly host: string;
  readonly port: number;
  readonly secondaries: readonly Secondary[];
  /** TSIG keys (RFC 8945) by name. */
  readonly tsigKeys: ReadonlyMap<string, TsigKey>;
  readonly notify: readonly NotifyTarget[];
  readonly ednsPayloadSize: number;
  readonly tcpIdleTimeoutMs: number;
  readonly tcpMaxConnections: number;
  readonly tcpMaxConnectionsPerIp: number;
  readonly workers: number;
  readonly pollIntervalMs: number;
  readonly resyncIntervalMs: number;
  readonly rateLimit: RateLimitSettings | null;
  /** Bounds of the IXFR journal (RFC 1995), or null when none is kept. */
  readonly journal: { readonly maxBytes: number; readonly maxAgeMs: number } | null;
}

/**
 * What the dns settings are made from, as the configuration writes it: the platform's names, the `dns` section,
 * and the gateway's return-path domain (served here when it lies inside the zone). Problems name these paths.
 */
export interface DnsConfig {
  readonly platform: {
    readonly zone: string;
    readonly ttl: number;
    readonly nameservers: readonly string[];
    readonly hostAddresses: Readonly<Record<string, readonly string[]>>;
    readonly egressIps: readonly string[];
    readonly mxLabel: string;
    readonly reportsLabel: string;
    readonly bounceLabel: string;
  };
  readonly dns: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly secondaries: ReadonlyArray<string | { readonly address: string; readonly key: string }>;
    readonly tsigKeys: ReadonlyArray<{
      readonly name: string;
      readonly algorithm: string;
      readonly secret: string;
      readonly secretFile: string;
    }>;
    readonly notify: readonly string[];
    readonly soaPrimary: string;
    readonly hostmaster: string;
    readonly soaTtl: number;
    readonly soaRefresh: number;
    readonly soaRetry: number;
    readonly soaExpire: number;
    readonly negativeTtl: number;
    readonly aliases: Readonly<Record<string, string>>;
    readonly ednsPayloadSize: number;
    readonly tcpIdleTimeoutMs: number;
    readonly tcpMaxConnections: number;
    readonly tcpMaxConnectionsPerIp: number;
    readonly workers: number;
    readonly pollIntervalMs: number;
    readonly resyncIntervalSeconds: number;
    readonly rateLimit: boolean;
    readonly rateLimitResponses: number;
    readonly rateLimitSlip: number;
    readonly rateLimitIpv4Prefix: number;
    readonly rateLimitIpv6Prefix: number;
    readonly journalMaxBytes: number;
    readonly journalMaxAgeSeconds: number;
  };
  /** `gateway.bounceDomain`: empty means bounce.<zone>. */
  readonly bounceDomain: string;
}

export interface DnsSettingsProblem {
  readonly path: string;
  readonly message: string;
}

/** A name from the config: absolute with a trailing dot, `@` for the apex, or relative to the zone. */
function absoluteName(name: string, apex: string): string | null {
  const text = name.trim();
  if (text === '@') return apex;
  const full = text.endsWith('.') ? text.slice(0, -1) : `${text}.${apex}`;
  // Underscored labels are fine in DNS (only host names forbid them), so check with them made plain.
  const parsed = normaliseDomainName(full.replace(/_/g, 'u'));
  return parsed.ok && full.length === parsed.value.length ? full.toLowerCase() : null;
}

/** `192.0.2.1`, `192.0.2.1:5300`, `[2001:db8::1]:53` or `2001:db8::1`. */
export function parseNotifyTarget(text: string): NotifyTarget | null {
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text) ?? /^([0-9a-f]*:[0-9a-f:.]*)$/i.exec(text);
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text);
  const match = v6 ?? v4;
  if (match === null) return null;
  const port = match[2] === undefined ? 53 : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1]!, port };
}

/**
 * The dns settings of a configuration, with every problem that spans keys (a host without addresses, a CNAME
 * beside other data, a malformed NOTIFY target) listed at once; the config loader reports them at start.
 */
export function dnsSettingsFrom(
  config: DnsConfig,
  readSecret: typeof readSecretFile = readSecretFile,
): { settings: DnsSettings; problems: [] } | { problems: DnsSettingsProblem[] } {
  const problems: DnsSettingsProblem[] = [];
  const apex = config.platform.zone.toLowerCase();
  const resolveName = (name: string, path: string): string => {
    const full = absoluteName(name, apex);
    if (full === null) problems.push({ path, message: `"${name}" is not a valid DNS name` });
    return full ?? apex;
  };
  const nameservers = config.platform.nameservers.map((ns, i) =>
    resolveName(ns, `platform.nameservers.${i}`),
  );
  const hostAddresses = new Map<string, string[]>();
  for (const [label, addresses] of Object.entries(config.platform.hostAddresses)) {
    const name = resolveName(label, `platform.hostAddresses.${label}`);
    if (name !== apex && !name.endsWith(`.${apex}`)) {
      problems.push({ path: `platform.hostAddresses.${label}`, message: 'must be a name inside the zone' });
    }
    hostAddresses.set(name, [...(hostAddresses.get(name) ?? []), ...addresses]);
  }
  const aliases = new Map<string, string>();
  for (const [label, target] of Object.entries(config.dns.aliases)) {
    const name = resolveName(label, `dns.aliases.${label}`);
    if (name === apex || !name.endsWith(`.${apex}`)) {
      problems.push({ path: `dns.aliases.${label}`, message: 'must be a name below the zone apex' });
    } else if (hostAddresses.has(name)) {
      // RFC 1034 §3.6.2: a CNAME cannot sit beside other data.
      problems.push({
        path: `dns.aliases.${label}`,
        message: 'also has addresses in platform.hostAddresses',
      });
    }
    aliases.set(name, resolveName(target, `dns.aliases.${label}`));
  }
  const mxHost = `${config.platform.mxLabel}.${apex}`;
  if (config.dns.enabled && !hostAddresses.has(mxHost) && !aliases.has(mxHost)) {
    problems.push({
      path: 'platform.hostAddresses',
      message: `${config.platform.mxLabel} (the MX of bounce and report hosts) needs addresses`,
    });
  }
  for (const [i, ns] of nameservers.entries()) {
    if (config.dns.enabled && ns.endsWith(`.${apex}`) && !hostAddresses.has(ns)) {
      problems.push({
        path: `platform.nameservers.${i}`,
        message: `${ns} is inside the zone, so it needs addresses (glue) in platform.hostAddresses`,
      });
    }
  }
  const hostmaster = config.dns.hostmaster === '' ? `hostmaster@${apex}` : config.dns.hostmaster;
  const at = hostmaster.lastIndexOf('@');
  const local = hostmaster.slice(0, at);
  if (at <= 0 || !/^[a-z0-9_-]+$/i.test(local)) {
    problems.push({
      path: 'dns.hostmaster',
      message: 'must be an e-mail address whose local part has no dots, such as hostmaster@example.net',
    });
  }
  const rname = `${local.toLowerCase()}.${resolveName(`${hostmaster.slice(at + 1)}.`, 'dns.hostmaster')}`;
  const mname =
    config.dns.soaPrimary === ''
      ? (nameservers[0] ?? apex)
      : resolveName(config.dns.soaPrimary, 'dns.soaPrimary');
  const tsigKeys = tsigKeysFrom(config, readSecret, problems);
  const secondaries: Secondary[] = config.dns.secondaries.map((entry, i) => {
    if (typeof entry === 'string') return { address: entry, keyName: null };
    const keyName = entry.key.trim().toLowerCase().replace(/\.$/, '');
    if (!tsigKeys.has(keyName))
      problems.push({ path: `dns.secondaries.${i}.key`, message: `no key "${entry.key}" in dns.tsigKeys` });
    return { address: entry.address, keyName };
  });
  const notify: NotifyTarget[] = [];
  config.dns.notify.forEach((text, i) => {
    const target = parseNotifyTarget(text);
    if (target === null) {
      problems.push({
        path: `dns.notify.${i}`,
        message: `"${text}" is not an IP address with an optional port`,
      });
      return;
    }
    // NOTIFY to a secondary bound to a key is signed with it (RFC 8945 §5.1).
    const key = tsigKeys.get(secondaryKey(secondaries, target.host) ?? '');
    notify.push(key === undefined ? target : { ...target, key });
  });
  if (problems.length > 0) return { problems };
  const d = config.dns;
  return {
    problems: [],
    settings: {
      zone: {
        apex,
        ttl: config.platform.ttl,
        nameservers,
        hostAddresses,
        aliases,
        egressIps: config.platform.egressIps,
        mxHost,
        reportsHost: `${config.platform.reportsLabel}.${apex}`,
        ...platformBounceHost(config, apex),
        soa: {
          mname,
          rname,
          refresh: d.soaRefresh,
          retry: d.soaRetry,
          expire: d.soaExpire,
          minimum: d.negativeTtl,
          ttl: d.soaTtl,
        },
      },
      host: d.host,
      port: d.port,
      secondaries,
      tsigKeys,
      notify,
      ednsPayloadSize: d.ednsPayloadSize,
      tcpIdleTimeoutMs: d.tcpIdleTimeoutMs,
      tcpMaxConnections: d.tcpMaxConnections,
      tcpMaxConnectionsPerIp: d.tcpMaxConnectionsPerIp,
      workers: d.workers,
      pollIntervalMs: d.pollIntervalMs,
      resyncIntervalMs: d.resyncIntervalSeconds * 1000,
      rateLimit: d.rateLimit
        ? {
            responsesPerSecond: d.rateLimitResponses,
            slip: d.rateLimitSlip,
            ipv4PrefixLength: d.rateLimitIpv4Prefix,
            ipv6PrefixLength: d.rateLimitIpv6Prefix,
            maxEntries: 100_000,
          }
        : null,
      journal:
        d.journalMaxBytes === 0
          ? null
          : { maxBytes: d.journalMaxBytes, maxAgeMs: d.journalMaxAgeSeconds * 1000 },
    },
  };
}

/** The configured TSIG keys, each checked; problems name the key's path, never its secret. */
function tsigKeysFrom(
  config: DnsConfig,
  readSecret: typeof readSecretFile,
  problems: DnsSettingsProblem[],
): Map<string, TsigKey> {
  const keys = new Map<string, TsigKey>();
  config.dns.tsigKeys.forEach((entry, i) => {
    const path = `dns.tsigKeys.${i}`;
    if ((entry.secret === '') === (entry.secretFile === '')) {
      problems.push({ path, message: 'give the secret in exactly one of secret and secretFile' });
      return;
    }
    let secret = entry.secret;
    if (entry.secretFile !== '') {
      const read = readSecret(entry.secretFile);
      if (!read.ok) {
        problems.push({ path: `${path}.secretFile`, message: read.error });
        return;
      }
      secret = read.value;
    }
    const key = parseTsigKey(entry.name, entry.algorithm, secret);
    if (!key.ok) problems.push({ path, message: key.error });
    else if (keys.has(key.value.name))
      problems.push({ path, message: `another key is named ${key.value.name}` });
    else keys.set(key.value.name, key.value);
  });
  return keys;
}

/** The gateway's platform return-path domain, if it is ours to serve (inside the zone). */
function platformBounceHost(config: DnsConfig, apex: string): { bounceHost?: string } {
  const given = config.bounceDomain.trim().toLowerCase().replace(/\.$/, '');
  const host = given === '' ? `${config.platform.bounceLabel}.${apex}` : given;
  return host === apex || host.endsWith(`.${apex}`) ? { bounceHost: host } : {};
}
