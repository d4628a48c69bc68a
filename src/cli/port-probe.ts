/**
 * Before a node starts, every listener's address is tried once, so that all the ports that cannot be had are
 * reported together (a service manager's log then shows the whole list, not one conflict per restart), each with
 * the config key that moves it, and nothing has started yet. The node binds for real afterwards; a port taken in
 * between still fails there, through `listenFailure`.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createServer } from 'node:net';
import { envName, listenerPorts, type Config } from '../config/index.ts';
import { AppError } from '../core/index.ts';

export interface Listener {
  readonly name: string;
  readonly key: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

/** What each config key's listener is called in the list. DNS answers on UDP and TCP on the same port. */
const NAMES: Record<string, string[]> = {
  'http.port': ['http'],
  'gateway.submission.port': ['gateway (submission)'],
  'gateway.implicitTls.port': ['gateway (implicit TLS)'],
  'gateway.relay.port': ['gateway (relay)'],
  'inbound.port': ['inbound'],
  'dns.port': ['dns (udp)', 'dns (tcp)'],
  'edge.httpPort': ['edge (http)'],
  'edge.httpsPort': ['edge (https)'],
};

/** Every listener the config enables on a fixed port (port 0 takes any free port, so it cannot conflict). */
export function listenersOf(config: Config): Listener[] {
  return listenerPorts(config)
    .filter((l) => l.port !== 0)
    .flatMap((l) =>
      (NAMES[l.key] ?? [l.key]).map((name) => ({
        ...l,
        name,
        protocol: name.endsWith('(udp)') ? ('udp' as const) : ('tcp' as const),
      })),
    );
}

/** Binds and releases the address; resolves to the error code when it cannot be had (null: it can). */
function tryBind(l: Listener): Promise<string | null> {
  return new Promise((resolve) => {
    const failed = (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message);
    if (l.protocol === 'udp') {
      const socket = createSocket(isIPv6(l.host) ? 'udp6' : 'udp4');
      socket.once('error', (e) => {
        socket.close();
        failed(e);
      });
      socket.bind({ address: l.host, port: l.port, exclusive: true }, () =>
        socket.close(() => resolve(null)),
      );
      return;
    }
    const server = createServer();
    server.once('error', failed);
    server.listen({ host: l.host, port: l.port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

const PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'in use',
  EACCES: 'needs privileges',
  EADDRNOTAVAIL: 'not an address here',
};

/** Tries every listener; a refusal of one or more is one AppError that lists them all. */
export async function probeListeners(config: Config): Promise<void> {
  const listeners = listenersOf(config);
  const results = await Promise.all(listeners.map(async (l) => ({ l, code: await tryBind(l) })));
  const failed = results.filter((r) => r.code !== null);
  if (failed.length === 0) return;
  const rows = failed.map(({ l, code }) => [
    l.name,
    `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`,
    PROBLEMS[code!] ?? code!,
    `${l.key} (--set ${l.key}=…, or ${envName(l.key.split('.'))}=…)`,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')}`);
  const hints = [
    failed.some((f) => f.code === 'EADDRINUSE') &&
      '"in use": another senderd (a second npm start?) or another server listens there; stop it, or move this one.',
    failed.some((f) => f.code === 'EACCES') &&
      '"needs privileges": ports below 1024 need root or CAP_NET_BIND_SERVICE (AmbientCapabilities= in a systemd unit).',
    failed.some((f) => f.code === 'EADDRNOTAVAIL') &&
      '"not an address here": use an address this machine has, or 0.0.0.0 / ::.',
  ].filter((h): h is string => typeof h === 'string');
  const count = failed.length === 1 ? '1 listener cannot start' : `${failed.length} listeners cannot start`;
  throw new AppError(
    'listen_failed',
    [`${count} (nothing was started):`, ...lines, ...hints.map((h) => `  ${h}`)].join('\n'),
  );
}
