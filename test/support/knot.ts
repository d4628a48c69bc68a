/**
 * A real Knot DNS (Debian's knotd) on 127.0.0.1 as a secondary of senderd, in a temporary directory, with a TSIG
 * key: it transfers by AXFR signed with the key and accepts NOTIFY only when signed with it. Its key clause is
 * given by the caller (the one `senderd dns tsig-keygen` prints).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export interface Knot {
  readonly port: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startKnotSecondary(
  dir: string,
  zone: string,
  primaryPort: number,
  key: { readonly name: string; readonly stanza: string },
  port?: number,
  options: {
    /** The loopback address Knot transfers from, to tell it apart from other secondaries. */
    readonly from?: string;
    /** Let 127.0.0.1 transfer the zone from Knot (to compare what it holds). */
    readonly provideXfr?: boolean;
  } = {},
): Promise<Knot> {
  const listen = port ?? (await freePort());
  const conf = join(dir, 'knot.conf');
  writeFileSync(
    conf,
    [
      'server:',
      `  listen: 127.0.0.1@${listen}`,
      `  rundir: "${dir}"`,
      'database:',
      `  storage: "${dir}"`,
      'control:',
      `  listen: "${dir}/knot.sock"`,
      'log:',
      '  - target: stderr',
      '    any: info',
      key.stanza,
      'remote:',
      '  - id: senderd',
      `    address: 127.0.0.1@${primaryPort}`,
      `    key: ${key.name}`,
      ...(options.from === undefined ? [] : [`    via: ${options.from}`]),
      'acl:',
      '  - id: notify-from-senderd',
      '    address: 127.0.0.1',
      `    key: ${key.name}`,
      '    action: notify',
      '  - id: transfer-to-test',
      '    address: 127.0.0.1',
      '    action: transfer',
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      '    zonefile-sync: -1',
      '    journal-content: none',
      'zone:',
      `  - domain: "${zone}."`,
      '    master: senderd',
      `    acl: ${options.provideXfr === true ? '[notify-from-senderd, transfer-to-test]' : 'notify-from-senderd'}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/sbin/knotd', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    port: listen,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
