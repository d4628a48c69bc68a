import { join } from 'node:path';
import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { DkimSigner } from '../dkim/index.ts';
import type { DomainRepository } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import type { EventSink } from '../events/index.ts';
import { cidrList } from '../ip/index.ts';
import { ConnectionGuard } from './connection-guard.ts';
import type { GatewayConfig } from './gateway-config.ts';
import type { DeliveryTarget } from './delivery-queue.ts';
import { systemMailResolver } from './dns-resolver.ts';
import { Gateway, type GatewaySettings } from './gateway.ts';
import { noSuppressions, type GatewaySuppressions, type LinkRewriter, type MailResolver } from './ports.ts';
import { suppressionReply } from '../suppression/index.ts';
import { listenSmtp, type RecipientScreen, type RelayNetwork, type SmtpListener } from './smtp-listener.ts';
import { loadTlsFiles } from './tls-certificate.ts';
import type { GatewayRepository } from './trace.ts';

export interface GatewayComponentDeps {
  readonly config: GatewayConfig;
  readonly domains: DomainRepository;
  readonly signer: DkimSigner;
  readonly repo: GatewayRepository;
  readonly events: EventSink;
  readonly authenticate: (
    username: string,
    password: string,
  ) => Promise<{ tenantId: string; credentialId: string } | null>;
  /** Tenant names of the relay networks, to ids (null for no such tenant). */
  readonly tenantIdOf: (name: string) => Promise<string | null>;
  /** The key of the VERP return paths (a platform secret, stable across KEK rotations). */
  readonly verpKey: Buffer;
  readonly resolver?: MailResolver;
  readonly rewriter?: LinkRewriter;
  readonly suppressions?: GatewaySuppressions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** The organisational domain of a name (Public Suffix List), to keep tenants out of the operator's domains. */
  readonly organizationalDomain: (name: DomainName) => string;
}

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly listeners: readonly SmtpListener[];
  stop(): Promise<void>;
}

/** Maps the `gateway` config section to the gateway's settings. */
export function gatewaySettings(
  config: GatewayConfig,
  verpKey: Buffer,
  resolver?: MailResolver,
): GatewaySettings {
  const gw = config.gateway;
  const zone = config.platform.zone;
  const d = gw.delivery;
  const delivery: DeliveryTarget =
    d.mode === 'smarthost'
      ? {
          mode: 'smarthost',
          host: d.smarthost.host,
          port: d.smarthost.port,
          tls: d.smarthost.tls,
          ...(d.smarthost.username !== ''
            ? { auth: { username: d.smarthost.username, password: d.smarthost.password } }
            : {}),
        }
      : {
          mode: 'mx',
          port: d.mxPort,
          resolver: resolver ?? systemMailResolver(d.resolvers),
          allowPrivate: d.allowPrivateDestinations,
        };
  return {
    hostname: gw.hostname || `${config.platform.mxLabel}.${zone}`,
    platformBounceDomain: gw.bounceDomain || `${config.platform.bounceLabel}.${zone}`,
    platformZone: zone,
    unmatched: gw.signing.unmatched,
    platformDomain: gw.signing.platformDomain,
    spoolDir: gw.spool.dir,
    trace: { intervalMs: gw.trace.flushSeconds * 1000, commitMs: gw.trace.messageRowSeconds * 1000 },
    segmentBytes: gw.spool.segmentMiB * 1024 * 1024,
    delivery,
    concurrency: d.concurrencyPerDestination,
    retry: {
      firstDelayMs: gw.retry.firstDelaySeconds * 1000,
      factor: gw.retry.factor,
      maxDelayMs: gw.retry.maxDelaySeconds * 1000,
      expireAfterMs: gw.retry.expireDays * 86_400_000,
    },
    connectTimeoutMs: d.connectTimeoutSeconds * 1000,
    commandTimeoutMs: d.commandTimeoutSeconds * 1000,
    verpKey,
  };
}

/** Starts the gateway: recovers the spool, then opens the submission (and, if enabled, TLS and relay) ports. */
export async function startGatewayComponent(deps: GatewayComponentDeps): Promise<RunningGateway> {
  const { config, log } = deps;
  const gw = config.gateway;
  const settings = gatewaySettings(config, deps.verpKey, deps.resolver);
  const relayNetworks: RelayNetwork[] = [];
  if (gw.relay.enabled) {
    for (const entry of gw.relay.networks)
      relayNetworks.push({ networks: cidrList([entry.cidr]), tenant: entry.tenant });
  }
  const tls = loadTlsFiles({
    certFile: gw.tls.certFile,
    keyFile: gw.tls.keyFile,
    dir: join(config.dataDir, 'gateway'),
    hostname: settings.hostname,
  });
  if (tls.selfSigned)
    log.warn(
      { component: 'gateway' },
      'using a self-signed TLS certificate (set gateway.tls for production)',
    );
  const suppressions = deps.suppressions ?? noSuppressions;
  const gateway = await Gateway.start({
    settings,
    domains: deps.domains,
    signer: deps.signer,
    repo: deps.repo,
    events: deps.events,
    ...(deps.rewriter === undefined ? {} : { rewriter: deps.rewriter }),
    suppressions,
    clock: deps.clock,
    random: deps.random,
    log: log.child({ component: 'gateway' }),
    organizationalDomain: deps.organizationalDomain,
  });
  const guard = new ConnectionGuard(
    {
      maxAuthFailures: gw.limits.maxAuthFailures,
      authFailureWindowMs: gw.limits.authFailureWindowSeconds * 1000,
    },
    () => deps.clock.now().getTime(),
  );
  const common = {
    host: gw.host,
    hostname: settings.hostname,
    tls,
    maxMessageBytes: gw.limits.maxMessageBytes,
    maxRecipients: gw.limits.maxRecipients,
    connections: {
      maxConnections: gw.limits.maxConnections,
      maxConnectionsPerClient: gw.limits.maxConnectionsPerIp,
    },
    socketTimeoutMs: gw.limits.idleTimeoutSeconds * 1000,
    relayNetworks,
    guard,
    authenticate: deps.authenticate,
    tenantIdOf: deps.tenantIdOf,
    accept: (s: Parameters<Gateway['accept']>[0]) => gateway.accept(s),
    ...streamingOf(gateway.bodyFiles),
    screenRecipient: async (
      tenantId: string,
      recipient: string,
      senderDomain: string | undefined,
    ): Promise<RecipientScreen> => {
      const found = await suppressions.check(tenantId, recipient, senderDomain);
      if (found === null) return { kind: 'accept' };
      if ((await suppressions.action(tenantId)) === 'drop') return { kind: 'drop', reason: found.reason };
      return { kind: 'refuse', reply: suppressionReply(recipient, found) };
    },
    dropped: (
      tenantId: string,
      recipients: ReadonlyArray<{ address: string; reason: string }>,
      messageId: string | null,
    ) => {
      for (const { address: recipient, reason } of recipients) {
        deps.events
          .emit({
            tenantId,
            domainId: null,
            type: 'gateway.recipient.dropped',
            severity: 'info',
            message: `Mail to ${recipient} was accepted and dropped: the address is on the suppression list (${reason})${messageId === null ? '' : `; message ${messageId} went to the other recipients`}.`,
            data: { recipient, reason, messageId },
          })
          .catch((error: unknown) => log.error({ err: error }, 'emitting a dropped-recipient event failed'));
      }
    },
    log,
  };
  const listeners: SmtpListener[] = [];
  try {
    listeners.push(await listenSmtp({ ...common, kind: 'submission', port: gw.submission.port }));
    if (gw.implicitTls.enabled)
      listeners.push(await listenSmtp({ ...common, kind: 'submissions', port: gw.implicitTls.port }));
    if (gw.relay.enabled) listeners.push(await listenSmtp({ ...common, kind: 'relay', port: gw.relay.port }));
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    await gateway.stop();
    throw error;
  }
  return {
    gateway,
    listeners,
    async stop() {
      await Promise.all(listeners.map((l) => l.close()));
      await gateway.stop();
    },
  };
}

/**
 * Messages over 256 KiB stream to a spool file as they arrive (data-receiver.ts); their header block must end
 * within 256 KiB. Smaller ones are held whole and go to the spool in one group-committed write.
 */
export const STREAM_AFTER_BYTES = 256 * 1024;
export const HEADER_LIMIT_BYTES = 256 * 1024;

function streamingOf(createBody: Gateway['bodyFiles']) {
  return {
    streaming: { streamAfterBytes: STREAM_AFTER_BYTES, headerLimitBytes: HEADER_LIMIT_BYTES, createBody },
  };
}
