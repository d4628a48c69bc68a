import { envName, listenerPorts, type Config } from '../config/index.ts';
import { AppError } from '../core/index.ts';

/**
 * A listener that cannot bind, said as what happened and what to do: which config key owns the address, and how
 * to change it. Anything else is not a listen failure (null), and stays an internal error.
 */
export function listenFailure(error: unknown, config: Config): AppError | null {
  const e = error as Partial<NodeJS.ErrnoException> & { address?: string; port?: number };
  if (e === null || typeof e !== 'object' || (e.syscall !== 'listen' && e.syscall !== 'bind')) return null;
  const port = e.port;
  const owner = listenerPorts(config).find((l) => l.port === port);
  const where = `${e.address ?? owner?.host ?? '?'}:${port ?? '?'}`;
  const key = owner?.key;
  const change =
    key === undefined
      ? 'change the port in the configuration'
      : `set another port with ${key} (--set ${key}=…, or ${envName(key.split('.'))}=…)`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new AppError(
        'listen_failed',
        `${where}${key ? ` (${key})` : ''} is already in use: another senderd (a second npm start?) or another server listens there. Stop it, or ${change}.`,
      );
    case 'EACCES':
      return new AppError(
        'listen_failed',
        `${where}${key ? ` (${key})` : ''} needs privileges: ports below 1024 need root or CAP_NET_BIND_SERVICE. Grant it, or ${change}.`,
      );
    case 'EADDRNOTAVAIL':
      return new AppError(
        'listen_failed',
        `${where}${key ? ` (${key})` : ''} is not an address of this machine. Use one it has (or 0.0.0.0 / ::), or ${change}.`,
      );
    case undefined:
    default:
      return null;
  }
}
