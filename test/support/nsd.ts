/**
 * A real NSD (Debian) on 127.0.0.1, unprivileged, in a temporary directory: as a secondary of senderd (AXFR
 * and NOTIFY from it) or serving a zone file. Response rate limiting is off, as it must be for tests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer } from './peer.ts';
import { freePort } from './ports.ts';

export interface Nsd {
  readonly port: number;
  /** What NSD printed and wrote to its log file. */
  log(): string;
  stop(): Promise<void>;
}

/** A TSIG key as NSD's key: clause has it (test/support writes it with senderd's own stanza renderer). */
export interface NsdKey {
  readonly name: string;
  /** The `key:` clause. */
  readonly stanza: string;
}

/** One zone of an NSD server: loaded from a file, or a secondary of a primary on 127.0.0.1. */
export interface NsdZone {
  readonly name: string;
  readonly source: { readonly primaryPort: number } | { readonly zoneFile: string };
  /** Ask for IXFR (RFC 1995) once it has the zone; otherwise AXFR only. */
  readonly ixfr?: boolean;
  /** The loopback address NSD transfers from, to tell it apart from other secondaries. */
  readonly from?: string;
  /** Let 127.0.0.1 transfer the zone from NSD (to compare what it holds). */
  readonly provideXfr?: boolean;
}

/** NSD as the secondary of one zone (or serving one zone file). */
export function startNsd(
  dir: string,
  zone: string,
  source: NsdZone['source'],
  port?: number,
  key?: NsdKey,
  options: Omit<NsdZone, 'name' | 'source'> & { readonly reloadAtOnce?: boolean } = {},
): Promise<Nsd> {
  const { reloadAtOnce, ...zoneOptions } = options;
  return startNsdServer(dir, [{ name: zone, source, ...zoneOptions }], port, key, {
    ...(reloadAtOnce === undefined ? {} : { reloadAtOnce }),
  });
}

/** NSD serving several zones, each from a file or as a secondary. */
export async function startNsdServer(
  dir: string,
  zones: readonly NsdZone[],
  port?: number,
  key?: NsdKey,
  options: {
    /** Serve each transferred version at once (`xfrd-reload-timeout: 0`) rather than at most once a second. */
    readonly reloadAtOnce?: boolean;
  } = {},
): Promise<Nsd> {
  const keyName = key?.name ?? 'NOKEY';
  const listen = port ?? (await freePort());
  const conf = join(dir, 'nsd.conf');
  const zoneLines = zones.flatMap((z) => {
    const lines = ['zone:', `  name: ${z.name}`];
    if ('primaryPort' in z.source) {
      lines.push(
        `  zonefile: "${join(dir, `${z.name === '.' ? 'root' : z.name}.zone`)}"`,
        `  request-xfr: ${z.ixfr === true ? '' : 'AXFR '}127.0.0.1@${z.source.primaryPort} ${keyName}`,
        `  allow-notify: 127.0.0.1 ${keyName}`,
      );
    } else {
      lines.push(`  zonefile: "${z.source.zoneFile}"`);
    }
    if (z.provideXfr === true) lines.push('  provide-xfr: 127.0.0.1 NOKEY');
    if (z.from !== undefined) lines.push(`  outgoing-interface: ${z.from}`);
    return lines;
  });
  writeFileSync(
    conf,
    [
      'server:',
      '  ip-address: 127.0.0.1',
      `  port: ${listen}`,
      '  username: ""',
      '  chroot: ""',
      '  database: ""',
      `  zonesdir: "${dir}"`,
      `  pidfile: "${join(dir, 'nsd.pid')}"`,
      `  logfile: "${join(dir, 'nsd.log')}"`,
      `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
      `  zonelistfile: "${join(dir, 'zone.list')}"`,
      '  server-count: 1',
      '  rrl-ratelimit: 0',
      // Only the records an answer needs, as senderd gives (RFC 8482's spirit; NSD adds NS and glue otherwise).
      '  minimal-responses: yes',
      '  verbosity: 2',
      ...(options.reloadAtOnce === true ? ['  xfrd-reload-timeout: 0'] : []),
      ...(key === undefined ? [] : [key.stanza]),
      'remote-control:',
      '  control-enable: no',
      ...zoneLines,
    ].join('\n') + '\n',
  );
  const peer = startPeer('nsd', ['-d', '-c', conf]);
  return {
    port: listen,
    log: () =>
      peer.output() + (existsSync(join(dir, 'nsd.log')) ? readFileSync(join(dir, 'nsd.log'), 'utf8') : ''),
    stop: () => peer.stop(),
  };
}
