/**
 * Test support for DNSSEC: zones signed with BIND's dnssec-keygen and dnssec-signzone (ECDSA P-256, NSEC), the DS
 * of a key set computed by dnssec-dsfromkey, and a validating Unbound on 127.0.0.1 whose only trust anchor is
 * the test's own root key, sent to the test's servers by stub zones (so nothing leaves the machine).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer } from './peer.ts';
import { freePort } from './ports.ts';
import { run } from './tools.ts';

export interface SignedZone {
  /** The signed zone file. */
  readonly file: string;
  /** The DS records of its KSK (SHA-256), as master-file lines. */
  readonly ds: string[];
  /** The KSK as a DNSKEY master-file line: a trust anchor. */
  readonly ksk: string;
}

async function must(command: string, args: readonly string[], cwd?: string): Promise<string> {
  const r = await run(command, args, { timeoutMs: 60_000, ...(cwd === undefined ? {} : { cwd }) });
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Makes a KSK and a ZSK for `origin` ('.' for the root) and signs the zone `lines` with them. */
export async function signZone(dir: string, origin: string, lines: readonly string[]): Promise<SignedZone> {
  const keys = join(dir, `keys-${origin === '.' ? 'root' : origin}`);
  mkdirSync(keys, { recursive: true });
  const ksk = (
    await must('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', '-f', 'KSK', origin])
  ).trim();
  await must('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', origin]);
  const unsigned = join(dir, `${origin === '.' ? 'root' : origin}.zone`);
  writeFileSync(unsigned, `$TTL 300\n${lines.join('\n')}\n`);
  const signed = `${unsigned}.signed`;
  // -d: the dsset- file it writes goes beside the keys, not into the working directory (the repository).
  await must('dnssec-signzone', ['-q', '-S', '-K', keys, '-d', keys, '-o', origin, '-f', signed, unsigned]);
  const kskFile = join(keys, `${ksk}.key`);
  const ds = (await must('dnssec-dsfromkey', ['-2', kskFile])).trim().split('\n');
  const dnskey = readFileSync(kskFile, 'utf8')
    .split('\n')
    .find((l) => l !== '' && !l.startsWith(';'))!;
  return { file: signed, ds, ksk: dnskey };
}

/** The DS records (SHA-256) of the KSKs among `dnskeys` (master-file DNSKEY lines of `zone`). */
export async function dsOf(dir: string, zone: string, dnskeys: readonly string[]): Promise<string[]> {
  const file = join(dir, `${zone}.dnskey`);
  writeFileSync(file, dnskeys.join('\n') + '\n');
  return (await must('dnssec-dsfromkey', ['-2', '-f', file, zone])).trim().split('\n');
}

export interface Unbound {
  readonly port: number;
  /** unbound-control with this instance's configuration. */
  control(args: readonly string[]): Promise<string>;
  log(): string;
  stop(): Promise<void>;
}

/** A validating Unbound trusting `anchor` (a DNSKEY line of the root), with each zone sent to its server. */
export async function startUnbound(
  dir: string,
  anchor: string,
  stubs: ReadonlyArray<{ readonly zone: string; readonly port: number }>,
  listen?: number,
): Promise<Unbound> {
  mkdirSync(dir, { recursive: true });
  const port = listen ?? (await freePort());
  const anchorFile = join(dir, 'root.key');
  writeFileSync(anchorFile, anchor + '\n');
  const conf = join(dir, 'unbound.conf');
  writeFileSync(
    conf,
    [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${port}`,
      '  do-ip6: no',
      '  do-not-query-localhost: no',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${join(dir, 'unbound.pid')}"`,
      '  use-syslog: no',
      '  logfile: ""',
      '  verbosity: 1',
      '  val-log-level: 2',
      '  module-config: "validator iterator"',
      `  trust-anchor-file: "${anchorFile}"`,
      '  harden-dnssec-stripped: yes',
      '  access-control: 127.0.0.0/8 allow',
      'remote-control:',
      '  control-enable: yes',
      `  control-interface: "${join(dir, 'unbound.ctl')}"`,
      '  control-use-cert: no',
      ...stubs.flatMap((s) => ['stub-zone:', `  name: "${s.zone}"`, `  stub-addr: 127.0.0.1@${s.port}`]),
      '',
    ].join('\n'),
  );
  const check = await run('unbound-checkconf', [conf]);
  if (check.code !== 0) throw new Error(`unbound-checkconf: ${check.stdout}${check.stderr}`);
  const peer = startPeer('unbound', ['-d', '-c', conf]);
  return {
    port,
    control: (args) => must('unbound-control', ['-c', conf, ...args]),
    log: () => peer.output(),
    stop: () => peer.stop(),
  };
}

/** The header flags, answer and authority of a dig query (`+dnssec`), for AD and validation checks. */
export async function digFlags(
  port: number,
  name: string,
  type: string,
): Promise<{ status: string; flags: string[]; answer: string[]; authority: string[] }> {
  const r = await run('dig', [
    '@127.0.0.1',
    '-p',
    String(port),
    '+dnssec',
    '+tries=1',
    '+time=5',
    name,
    type,
  ]);
  const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? 'NO ANSWER';
  const flags = (/;; flags: ([a-z ]+);/.exec(r.stdout)?.[1] ?? '').trim().split(' ');
  const sections: Record<string, string[]> = { ANSWER: [], AUTHORITY: [] };
  let section: string[] | undefined;
  for (const line of r.stdout.split('\n')) {
    const heading = /^;; (\w+) SECTION:/.exec(line);
    if (heading !== null) section = sections[heading[1]!];
    else if (line.startsWith(';;')) section = undefined;
    else if (section !== undefined && line.trim() !== '') section.push(line.replace(/\s+/g, ' '));
  }
  return { status, flags, answer: sections.ANSWER!, authority: sections.AUTHORITY! };
}
