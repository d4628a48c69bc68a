import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { DnsSettings } from './dns-settings.ts';
import { Notifier } from './notifier.ts';
import type { DnsRepository, ZoneSource } from './ports.ts';
import { RateLimiter } from './rate-limiter.ts';
import { Responder } from './responder.ts';
import { listenTcp, type TcpServer } from './tcp-server.ts';
import { listenUdp, type UdpServer } from './udp-server.ts';
import { transferAcl } from './transfer-acl.ts';
import { TsigError } from '../dns-wire/index.ts';
import { startUdpWorkers } from './udp-workers.ts';
import { ZoneKeeper } from './zone-keeper.ts';
import { QueryCounters, queryCountersBuffer, readQueryCounters, type QueryTotals } from './query-counters.ts';
import { transferMessages } from './zone-transfer.ts';

/** The dns component: the zone kept live from the store, served over UDP and TCP, with NOTIFY on change. */
export interface DnsDeps {
  readonly settings: DnsSettings;
  readonly source: ZoneSource;
  readonly repo: DnsRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
}

export interface RunningDns {
  readonly host: string;
  /** UDP and TCP listen on this same port. */
  readonly port: number;
  readonly keeper: ZoneKeeper;
  /** What /metrics shows: queries by transport and RCODE, transfers by kind, the serial served. */
  metrics(): DnsMetrics;
  stop(): Promise<void>;
}

export interface DnsMetrics extends QueryTotals {
  readonly transfers: Readonly<Record<string, number>>;
  readonly serial: number;
}

/**
 * Builds the zone from the store, settles its serial, and serves it on UDP and TCP (same port) until `stop`:
 * the change log is followed, and every new serial is announced by NOTIFY.
 */
export async function startDns(deps: DnsDeps): Promise<RunningDns> {
  const { settings } = deps;
  const log = deps.log.child({ component: 'dns' });
  const lastLogged = new Map<string, number>();
  const firstThisMinute = (kind: string): boolean => {
    const now = Date.now();
    if (now - (lastLogged.get(kind) ?? 0) < 60_000) return false;
    lastLogged.set(kind, now);
    return true;
  };
  const notifier = new Notifier({
    apex: settings.zone.apex,
    targets: settings.notify,
    random: deps.random,
    clock: deps.clock,
    retryMs: 1000,
    attempts: 5,
    onOutcome: (target, serial, outcome) =>
      log[outcome === 'acknowledged' ? 'debug' : 'warn'](
        { target: { host: target.host, port: target.port }, serial, outcome },
        outcome === 'unverified' ? 'NOTIFY answer without a valid TSIG: ignored' : 'NOTIFY',
      ),
  });
  const keeper = new ZoneKeeper({
    settings: settings.zone,
    source: deps.source,
    repo: deps.repo,
    clock: deps.clock,
    log,
    pollIntervalMs: settings.pollIntervalMs,
    resyncIntervalMs: settings.resyncIntervalMs,
    journal: settings.journal,
    onPublish: (soa) => notifier.notify(soa),
  });
  await keeper.load();
  const countersBuffer = queryCountersBuffer(settings.workers + 1);
  const counters = new QueryCounters({ buffer: countersBuffer, slice: 0 });
  const transfers: Record<string, number> = {};
  const responder = new Responder({
    answers: keeper.zone.arena.reader,
    apexKey: keeper.zone.apexWire,
    ednsPayloadSize: settings.ednsPayloadSize,
    allowTransfer: transferAcl(settings.secondaries),
    tsigKeys: settings.tsigKeys,
    now: () => Math.floor(deps.clock.now().getTime() / 1000),
    transferMessages: (request, query, client) =>
      transferMessages(request, query, {
        zone: keeper.zone,
        difference: (from, to) => keeper.difference(from, to),
        onTransfer: (outcome) => {
          transfers[outcome.kind] = (transfers[outcome.kind] ?? 0) + 1;
          log.info({ client, ...outcome }, 'zone transferred');
        },
      }),
    onError: (error) => log.error({ err: error }, 'query failed: SERVFAIL'),
    // At most one line a minute per TSIG error, so a flood of bad signatures cannot flood the log.
    onTsigFailure: (client, key, tsigError) => {
      if (!firstThisMinute(`tsig:${tsigError}`)) return;
      log.warn(
        { client, key, tsigError: TSIG_ERROR_NAMES[tsigError] ?? tsigError },
        'TSIG check failed: NOTAUTH',
      );
    },
  });
  const limiter = settings.rateLimit === null ? undefined : new RateLimiter(settings.rateLimit, deps.clock);
  // Socket errors are logged at most once a minute per kind, so a flood cannot flood the log too.
  const onError = (error: Error) => {
    if (!firstThisMinute((error as NodeJS.ErrnoException).code ?? error.message)) return;
    log.warn({ err: error }, 'socket error (repeats within a minute are not logged)');
  };
  const { tcp, udp } = await listenBoth(settings, async (port) => {
    const tcp = await listenTcp({
      host: settings.host,
      port,
      responder,
      counters,
      idleTimeoutMs: settings.tcpIdleTimeoutMs,
      limits: {
        maxConnections: settings.tcpMaxConnections,
        maxConnectionsPerClient: settings.tcpMaxConnectionsPerIp,
      },
      onError,
    });
    try {
      if (settings.workers === 0) {
        const udp = await listenUdp({
          host: settings.host,
          port: tcp.port,
          responder,
          limiter,
          counters,
          onError,
        });
        return { tcp, udp };
      }
      const arena = keeper.zone.arena;
      const udp = await startUdpWorkers(
        settings.workers,
        {
          host: settings.host,
          port: tcp.port,
          buffers: arena.buffers,
          apexKey: keeper.zone.apexWire,
          ednsPayloadSize: settings.ednsPayloadSize,
          secondaries: settings.secondaries,
          tsigKeys: settings.tsigKeys,
          rateLimit: settings.rateLimit,
          counters: { buffer: countersBuffer, slice: 0 },
        },
        (message) => log.error({ message }, 'UDP worker error'),
      );
      arena.onSwap = (buffers) => udp.swap(buffers);
      return { tcp, udp };
    } catch (error) {
      await tcp.close();
      throw error;
    }
  });
  keeper.start();
  notifier.notify(keeper.zone.soa());
  log.info({ zone: settings.zone.apex, serial: keeper.serial, port: udp.port }, 'serving');
  return {
    host: settings.host,
    port: udp.port,
    keeper,
    metrics: () => ({
      ...readQueryCounters(countersBuffer),
      transfers: { ...transfers },
      serial: keeper.serial,
    }),
    async stop() {
      await keeper.stop();
      notifier.close();
      await Promise.all([udp.close(), tcp.close()]);
    },
  };
}

const TSIG_ERROR_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(TsigError).map(([name, code]) => [code, name]),
);

/**
 * Binds TCP and then UDP on the same port. With port 0 the kernel picks the TCP port, and the same UDP port
 * may be taken: then try again with another.
 */
async function listenBoth(
  settings: DnsSettings,
  bind: (port: number) => Promise<{ tcp: TcpServer; udp: UdpServer }>,
): Promise<{ tcp: TcpServer; udp: UdpServer }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bind(settings.port);
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (settings.port !== 0 || !inUse || attempt >= 10) throw error;
    }
  }
}
