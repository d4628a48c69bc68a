/**
 * A real primary that accepts RFC 2136 dynamic updates, on 127.0.0.1 in a temporary directory: Knot (knotd) or
 * BIND (named, Debian bind9). Two TSIG keys: `full` may change anything in the zone, `narrow` only TXT at the
 * apex, so an update of other names is refused by policy. Ready when it answers the zone's SOA with AA.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoRandom } from '../../src/core/index.ts';
import { generateTsigSecret, parseTsigKey, type TsigKey } from '../../src/dns-wire/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { freePort } from './ports.ts';

export type PrimaryKind = 'knot' | 'bind';

export interface UpdatePrimary {
  readonly kind: PrimaryKind;
  readonly port: number;
  readonly keys: { readonly full: TsigKey; readonly narrow: TsigKey };
  /** The secrets as base64, to look for in output that must not hold them. */
  readonly secrets: readonly string[];
  log(): string;
  stop(): Promise<void>;
}

function makeKey(name: string): { key: TsigKey; secret: string } {
  const secret = generateTsigSecret(cryptoRandom, 'hmac-sha256');
  const key = parseTsigKey(name, 'hmac-sha256', secret);
  if (!key.ok) throw new Error(key.error);
  return { key: key.value, secret };
}

export async function startUpdatePrimary(
  kind: PrimaryKind,
  dir: string,
  zone: string,
  body: string,
): Promise<UpdatePrimary> {
  const port = await freePort();
  const full = makeKey(`full.${kind}.test`);
  const narrow = makeKey(`narrow.${kind}.test`);
  const zoneFile = join(dir, `${zone}.zone`);
  writeFileSync(
    zoneFile,
    [
      `$ORIGIN ${zone}.`,
      '$TTL 300',
      '@ IN SOA ns1.dnshost.test. hostmaster.dnshost.test. 1 3600 600 86400 300',
      '@ IN NS ns1.dnshost.test.',
      body,
      '',
    ].join('\n'),
  );
  const conf = join(dir, kind === 'knot' ? 'knot.conf' : 'named.conf');
  writeFileSync(
    conf,
    kind === 'knot'
      ? knotConf(dir, port, zone, zoneFile, full, narrow)
      : bindConf(dir, port, zone, zoneFile, full, narrow),
  );
  const child: ChildProcess =
    kind === 'knot'
      ? spawn('/usr/sbin/knotd', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('/usr/sbin/named', ['-g', '-n', '1', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await answering(port, zone, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    kind,
    port,
    keys: { full: full.key, narrow: narrow.key },
    secrets: [full.secret, narrow.secret],
    log: () => output,
    stop,
  };
}

function knotConf(dir: string, port: number, zone: string, file: string, full: Made, narrow: Made): string {
  return [
    'server:',
    `  listen: 127.0.0.1@${port}`,
    `  rundir: "${dir}"`,
    'database:',
    `  storage: "${dir}"`,
    'control:',
    `  listen: "${dir}/knot.sock"`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'key:',
    ...[full, narrow].flatMap((k) => [
      `  - id: ${k.key.name}`,
      '    algorithm: hmac-sha256',
      `    secret: ${k.secret}`,
    ]),
    'acl:',
    '  - id: full',
    `    key: ${full.key.name}`,
    '    action: update',
    '  - id: narrow',
    `    key: ${narrow.key.name}`,
    '    action: update',
    '    update-type: [TXT]',
    '    update-owner: name',
    '    update-owner-match: equal',
    `    update-owner-name: [${zone}.]`,
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    zonefile-sync: -1',
    'zone:',
    `  - domain: "${zone}."`,
    `    file: "${file}"`,
    '    acl: [full, narrow]',
    '',
  ].join('\n');
}

type Made = ReturnType<typeof makeKey>;

function bindConf(dir: string, port: number, zone: string, file: string, full: Made, narrow: Made): string {
  return [
    'options {',
    `  directory "${dir}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  pid-file none;',
    '  session-keyfile none;',
    '  recursion no;',
    '  dnssec-validation no;',
    '  notify no;',
    '};',
    'controls { };',
    ...[full, narrow].map((k) => `key "${k.key.name}" { algorithm hmac-sha256; secret "${k.secret}"; };`),
    `zone "${zone}" {`,
    '  type primary;',
    `  file "${file}";`,
    '  update-policy {',
    `    grant ${full.key.name} subdomain ${zone}. ANY;`,
    `    grant ${narrow.key.name} name ${zone}. TXT;`,
    '  };',
    '};',
    '',
  ].join('\n');
}

/** Waits until the server answers the zone's SOA authoritatively, or fails when it exits. */
async function answering(port: number, zone: string, child: ChildProcess, log: () => string): Promise<void> {
  const resolver = new StubResolver({ timeoutMs: 200, attempts: 1, random: cryptoRandom });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${log()}`))),
  );
  exited.catch(() => undefined);
  try {
    for (let i = 0; i < 200; i++) {
      const r = await Promise.race([
        resolver.query({
          name: zone,
          type: 'SOA',
          server: { host: '127.0.0.1', port },
          recursionDesired: false,
        }),
        exited,
      ]);
      if (r.outcome === 'response' && r.flags.aa && r.rcode === 'NOERROR') return;
      if (r.outcome !== 'timeout') await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`the server never answered for ${zone}:\n${log()}`);
  } finally {
    resolver.close();
  }
}
