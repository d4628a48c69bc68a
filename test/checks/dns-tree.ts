/**
 * A small private DNS on loopback for check tests: real NSD and Knot processes (unprivileged, temp dir, one
 * random port on several 127.0.0.x addresses, since delegations carry addresses, not ports), and optionally
 * Unbound as the recursive resolver, with a stub zone for every zone so it never leaves loopback.
 *
 *   127.0.0.1  NSD: the fake root and TLDs (".", com, net, org)
 *   127.0.0.2  NSD: customer zones and the platform zone (ns1.dnshost.net)
 *   127.0.0.3  Knot: a second customer server (ns2.dnshost.net)
 *   127.0.0.4  nothing listens: a black hole, for timeouts
 *   127.0.0.5  Unbound
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cryptoRandom } from '../../src/core/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { tempDir } from '../support/node.ts';

export type ServerId = 'tld' | 'ns1' | 'ns2';
export const ADDRESS: Record<ServerId | 'blackhole' | 'unbound', string> = {
  tld: '127.0.0.1',
  ns1: '127.0.0.2',
  ns2: '127.0.0.3',
  blackhole: '127.0.0.4',
  unbound: '127.0.0.5',
};

export interface ZoneSpec {
  readonly origin: string;
  /** Zone file body after $ORIGIN/$TTL/SOA/NS, names relative to the origin. */
  readonly body: string;
  readonly servers: readonly ServerId[];
  /** Serve a broken file on ns1, so NSD answers SERVFAIL. */
  readonly broken?: boolean;
  /** The NS names the zone claims (default: those of its servers). */
  readonly ns?: readonly string[];
  /** A different body on ns2 (a stale secondary). */
  readonly ns2Body?: string;
  /** The SOA serial (default 1), and another one on ns2 (a secondary that has not caught up). */
  readonly serial?: number;
  readonly ns2Serial?: number;
}

export interface DnsTree {
  /**
   * Replaces a zone's body on ns1 (NSD) with a higher serial, reloads NSD (SIGHUP) and waits until ns1 serves
   * the new serial.
   */
  updateZone(origin: string, body: string): Promise<void>;
  readonly port: number;
  readonly root: { host: string; port: number };
  readonly unbound: { host: string; port: number } | null;
  stop(): Promise<void>;
}

const NS_NAME: Record<ServerId, string> = {
  tld: 'a.gtld.net.',
  ns1: 'ns1.dnshost.net.',
  ns2: 'ns2.dnshost.net.',
};

/** A port free for UDP and TCP on every address the tree uses. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const ok = await Promise.all(Object.values(ADDRESS).map((host) => portFree(host, port)));
    if (ok.every(Boolean)) return port;
  }
  throw new Error('no free port');
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function soa(origin: string, nsNames: readonly string[], serial = 1): string {
  return [
    `$ORIGIN ${origin === '' ? '.' : `${origin}.`}`,
    '$TTL 300',
    `@ 300 IN SOA ${nsNames[0]} hostmaster.dnshost.net. ${serial} 3600 600 86400 300`,
    ...nsNames.map((n) => `@ 300 IN NS ${n}`),
    '',
  ].join('\n');
}

/** Infrastructure zones: root, com, org, net (with the dnshost servers and the delegations). */
function infrastructure(zones: readonly ZoneSpec[]): ZoneSpec[] {
  const delegations = (tld: string) =>
    zones
      .filter((z) => z.origin.endsWith(`.${tld}`))
      .flatMap((z) => (z.ns ?? z.servers.map((s) => NS_NAME[s])).map((n) => `${z.origin}. 300 IN NS ${n}`))
      .join('\n');
  const tldNs = ['a.gtld.net.'];
  const root =
    ['com', 'net', 'org'].map((t) => `${t}. 300 IN NS a.gtld.net.`).join('\n') +
    '\na.gtld.net. 300 IN A 127.0.0.1\n';
  const net = [
    'a.gtld 300 IN A 127.0.0.1',
    `ns1.dnshost 300 IN A ${ADDRESS.ns1}`,
    `ns2.dnshost 300 IN A ${ADDRESS.ns2}`,
    `ns1.blackhole 300 IN A ${ADDRESS.blackhole}`,
    delegations('net'),
  ].join('\n');
  return [
    { origin: '', body: root, servers: ['tld'], ns: tldNs },
    { origin: 'com', body: delegations('com'), servers: ['tld'], ns: tldNs },
    { origin: 'org', body: delegations('org'), servers: ['tld'], ns: tldNs },
    { origin: 'net', body: net, servers: ['tld'], ns: tldNs },
  ];
}

export async function startDnsTree(
  zones: readonly ZoneSpec[],
  options: { unbound?: boolean } = {},
): Promise<DnsTree> {
  const dir = tempDir('senderd-dns-');
  const port = await freePort();
  const all = [...infrastructure(zones), ...zones];
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    dir.remove();
  };
  try {
    for (const id of ['tld', 'ns1'] as const) {
      const mine = all.filter((z) => z.servers.includes(id));
      const sub = join(dir.path, id);
      const conf = [
        'server:',
        `  ip-address: ${ADDRESS[id]}`,
        `  port: ${port}`,
        '  username: ""',
        '  chroot: ""',
        '  database: ""',
        `  zonesdir: "${sub}"`,
        `  pidfile: "${sub}/nsd.pid"`,
        `  xfrdfile: "${sub}/xfrd.state"`,
        `  zonelistfile: "${sub}/zone.list"`,
        '  rrl-ratelimit: 0',
        '  verbosity: 0',
        '  server-count: 1',
        'remote-control:',
        '  control-enable: no',
        ...mine.flatMap((z) => [
          'zone:',
          `  name: "${z.origin === '' ? '.' : z.origin}"`,
          `  zonefile: "${fileOf(z.origin)}"`,
        ]),
        '',
      ].join('\n');
      runMkdir(sub);
      writeFileSync(join(sub, 'nsd.conf'), conf);
      for (const z of mine)
        writeFileSync(
          join(sub, fileOf(z.origin)),
          z.broken ? 'this is not a zone file\n' : zoneText(z, z.body),
        );
      procs.push(spawnServer('/usr/sbin/nsd', ['-d', '-c', join(sub, 'nsd.conf')]));
    }
    const knotZones = all.filter((z) => z.servers.includes('ns2'));
    if (knotZones.length > 0) {
      const sub = join(dir.path, 'ns2');
      runMkdir(sub);
      const conf = [
        'server:',
        `  listen: ${ADDRESS.ns2}@${port}`,
        `  rundir: "${sub}"`,
        'database:',
        `  storage: "${sub}"`,
        'control:',
        `  listen: "${sub}/knot.sock"`,
        'log:',
        '  - target: stderr',
        '    any: error',
        'template:',
        '  - id: default',
        `    storage: "${sub}"`,
        '    zonefile-sync: -1',
        '    journal-content: none',
        'zone:',
        ...knotZones.flatMap((z) => [`  - domain: "${z.origin}."`, `    file: "${fileOf(z.origin)}"`]),
        '',
      ].join('\n');
      writeFileSync(join(sub, 'knot.conf'), conf);
      for (const z of knotZones)
        writeFileSync(join(sub, fileOf(z.origin)), zoneText(z, z.ns2Body ?? z.body, z.ns2Serial ?? z.serial));
      procs.push(spawnServer('/usr/sbin/knotd', ['-c', join(sub, 'knot.conf')]));
    }
    let unbound: DnsTree['unbound'] = null;
    if (options.unbound === true) {
      const sub = join(dir.path, 'unbound');
      runMkdir(sub);
      const stubs = all.flatMap((z) => [
        'stub-zone:',
        `  name: "${z.origin === '' ? '.' : z.origin}"`,
        ...z.servers.map((s) => `  stub-addr: ${ADDRESS[s]}@${port}`),
        ...(z.ns?.some((n) => n.includes('blackhole')) ? [`  stub-addr: ${ADDRESS.blackhole}@${port}`] : []),
        '  stub-prime: no',
      ]);
      const conf = [
        'server:',
        `  interface: ${ADDRESS.unbound}`,
        `  port: ${port}`,
        '  do-daemonize: no',
        '  username: ""',
        '  chroot: ""',
        `  directory: "${sub}"`,
        `  pidfile: "${sub}/unbound.pid"`,
        '  use-syslog: no',
        '  logfile: ""',
        '  verbosity: 0',
        '  do-not-query-localhost: no',
        '  module-config: "iterator"',
        '  access-control: 127.0.0.0/8 allow',
        '  num-threads: 1',
        '  so-reuseport: no',
        '  do-ip6: no',
        '  qname-minimisation: no',
        '  harden-referral-path: no',
        '  edns-buffer-size: 1232',
        '  infra-host-ttl: 60',
        'remote-control:',
        '  control-enable: no',
        ...stubs,
        '',
      ].join('\n');
      writeFileSync(join(sub, 'unbound.conf'), conf);
      procs.push(spawnServer('/usr/sbin/unbound', ['-d', '-c', join(sub, 'unbound.conf')]));
      unbound = { host: ADDRESS.unbound, port };
    }
    await waitReady(port, all, options.unbound === true);
    const ns1 = procs[1]!;
    let serial = 1;
    const updateZone = async (origin: string, newBody: string) => {
      const z = all.find((zz) => zz.origin === origin && zz.servers.includes('ns1'));
      if (z === undefined) throw new Error(`${origin} is not on ns1`);
      serial++;
      writeFileSync(join(dir.path, 'ns1', fileOf(origin)), zoneText(z, newBody, serial));
      ns1.kill('SIGHUP');
      const resolver = new StubResolver({ timeoutMs: 200, attempts: 1, random: cryptoRandom });
      const deadline = Date.now() + 10_000;
      try {
        for (;;) {
          const r = await resolver.query({
            name: origin,
            type: 'SOA',
            server: { host: ADDRESS.ns1, port },
            recursionDesired: false,
          });
          const soaData =
            r.outcome === 'response' ? r.answers.find((a) => a.data.type === 'SOA')?.data : undefined;
          if (soaData?.type === 'SOA' && soaData.serial === serial) return;
          if (Date.now() > deadline) throw new Error(`NSD did not reload ${origin}`);
          await new Promise((res) => setTimeout(res, 25));
        }
      } finally {
        resolver.close();
      }
    };
    return { port, root: { host: ADDRESS.tld, port }, unbound, stop, updateZone };
  } catch (error) {
    await stop();
    throw error;
  }
}

function fileOf(origin: string): string {
  return origin === '' ? 'root.zone' : `${origin}.zone`;
}

function zoneText(z: ZoneSpec, body: string, serial = z.serial ?? 1): string {
  return soa(z.origin, z.ns ?? z.servers.map((s) => NS_NAME[s]), serial) + body + '\n';
}

function runMkdir(path: string): void {
  mkdirSync(path, { recursive: true });
}

function spawnServer(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`${command} exited ${code}: ${stderr}\n`);
  });
  return child;
}

/** Polls each server (with a deadline) until it answers authoritatively for one of its zones. */
async function waitReady(port: number, zones: readonly ZoneSpec[], unbound: boolean): Promise<void> {
  const resolver = new StubResolver({ timeoutMs: 200, attempts: 1, random: cryptoRandom });
  const deadline = Date.now() + 15_000;
  const probes: Array<{ host: string; name: string; rd: boolean }> = [];
  for (const id of ['tld', 'ns1', 'ns2'] as const) {
    const z = zones.find((zz) => zz.servers.includes(id) && zz.broken !== true);
    if (z !== undefined) probes.push({ host: ADDRESS[id], name: z.origin || '.', rd: false });
  }
  if (unbound) probes.push({ host: ADDRESS.unbound, name: 'com', rd: true });
  try {
    for (const p of probes) {
      for (;;) {
        const r = await resolver.query({
          name: p.name,
          type: 'SOA',
          server: { host: p.host, port },
          recursionDesired: p.rd,
        });
        if (r.outcome === 'response' && r.rcode === 'NOERROR' && r.answers.length > 0) break;
        if (Date.now() > deadline) throw new Error(`DNS server ${p.host}:${port} did not come up`);
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  } finally {
    resolver.close();
  }
}
