/**
 * A real NSD (Debian) on 127.0.0.1, unprivileged, in a temporary directory: as a secondary of senderd (AXFR
 * and NOTIFY from it) or serving a zone file. Response rate limiting is off, as it must be for tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

export async function startNsd(
  dir: string,
  zone: string,
  source: { readonly primaryPort: number } | { readonly zoneFile: string },
  port?: number,
  key?: NsdKey,
  options: {
    /** Ask for IXFR (RFC 1995) once it has the zone; otherwise AXFR only. */
    readonly ixfr?: boolean;
    /** The loopback address NSD transfers from, to tell it apart from other secondaries. */
    readonly from?: string;
    /** Let 127.0.0.1 transfer the zone from NSD (to compare what it holds). */
    readonly provideXfr?: boolean;
  } = {},
): Promise<Nsd> {
  const keyName = key?.name ?? 'NOKEY';
  const listen = port ?? (await freePort());
  const conf = join(dir, 'nsd.conf');
  const zoneLines =
    'primaryPort' in source
      ? [
          `  zonefile: "${join(dir, `${zone}.zone`)}"`,
          `  request-xfr: ${options.ixfr === true ? '' : 'AXFR '}127.0.0.1@${source.primaryPort} ${keyName}`,
          `  allow-notify: 127.0.0.1 ${keyName}`,
        ]
      : [`  zonefile: "${source.zoneFile}"`];
  if (options.provideXfr === true) zoneLines.push('  provide-xfr: 127.0.0.1 NOKEY');
  if (options.from !== undefined) zoneLines.push(`  outgoing-interface: ${options.from}`);
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
      ...(key === undefined ? [] : [key.stanza]),
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: ${zone}`,
      ...zoneLines,
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn('nsd', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    port: listen,
    log: () => output + (existsSync(join(dir, 'nsd.log')) ? readFileSync(join(dir, 'nsd.log'), 'utf8') : ''),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
