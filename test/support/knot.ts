/**
 * A real Knot DNS (Debian's knotd) on 127.0.0.1 in a temporary directory: as a secondary of senderd with a TSIG
 * key (it transfers signed with the key and accepts NOTIFY only when signed with it), or with any other
 * configuration (the DNSSEC signer of docs/dns.md). Key clauses and the signer's configuration are the ones
 * `senderd dns tsig-keygen` prints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer } from './peer.ts';
import { freePort } from './ports.ts';

export interface Knot {
  readonly port: number;
  /** The configuration file, for knotc and keymgr. */
  readonly config: string;
  log(): string;
  stop(): Promise<void>;
}

/** Knot with `body` (keys, remotes, ACLs, policies, zones) after a server section of its own. */
export async function startKnot(dir: string, body: string, port?: number): Promise<Knot> {
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
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      body,
      '',
    ].join('\n'),
  );
  const peer = startPeer('/usr/sbin/knotd', ['-c', conf]);
  return {
    port: listen,
    config: conf,
    log: () => peer.output(),
    stop: () => peer.stop(),
  };
}

export function startKnotSecondary(
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
  return startKnot(
    dir,
    [
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
      'zone:',
      `  - domain: "${zone}."`,
      '    master: senderd',
      `    acl: ${options.provideXfr === true ? '[notify-from-senderd, transfer-to-test]' : 'notify-from-senderd'}`,
      '    zonefile-sync: -1',
      '    journal-content: none',
    ].join('\n'),
    port,
  );
}
