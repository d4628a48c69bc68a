/** `senderd start` as a child process with its own store: for tests that watch the server from outside. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CORPUS } from './node.ts';

const SENDERD = new URL('../../bin/senderd', import.meta.url).pathname;

export interface SenderdProcess {
  readonly pid: number;
  readonly dnsPort: number;
  alive(): boolean;
  /** Resident memory in MB, from /proc. */
  rssMb(): number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Flags that point senderd at a test data directory (its KEK file must exist, see testConfig). They name a config
 * file of its own in that directory (empty: the defaults, then the flags), made here if missing, so that `start` is
 * never a first run: outside the checkout that is refused, and in it init would write data/senderd.yaml there.
 */
export function senderdFlags(dataDir: string, set: readonly string[] = []): string[] {
  const configPath = join(dataDir, 'senderd.yaml');
  if (!existsSync(configPath)) writeFileSync(configPath, '');
  return [
    '--config',
    configPath,
    ...[
      `dataDir=${dataDir}`,
      'platform.zone=mail.example.net',
      `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
      'http.enabled=false',
      'dns.host=127.0.0.1',
      'dns.port=0',
      // Every other listener on a free port too: runs of the suite that overlap must not collide.
      'gateway.submission.port=0',
      'gateway.implicitTls.port=0',
      'gateway.relay.port=0',
      'inbound.port=0',
      'edge.httpPort=0',
      'edge.httpsPort=0',
      'edge.acme.enabled=false',
      'log.format=json',
      ...set,
    ].flatMap((s) => ['--set', s]),
  ];
}

export function startSenderd(dataDir: string, set: readonly string[] = []): Promise<SenderdProcess> {
  const child: ChildProcess = spawn(SENDERD, [...senderdFlags(dataDir, set), 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`senderd did not start:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const listening = /"address":"dns:\/\/127\.0\.0\.1:(\d+)"/.exec(output);
      if (listening === null) return;
      clearTimeout(timer);
      const pid = child.pid!;
      resolve({
        pid,
        dnsPort: Number(listening[1]),
        alive: () => child.exitCode === null && child.signalCode === null,
        rssMb: () =>
          Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
        output: () => output,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`senderd exited with ${code}:\n${output}`));
    });
  });
}

/**
 * One node of a test cluster (test/cluster/): its own data directory `root/name`, the shared store's flags, and the
 * key-encryption key file every node of a cluster shares; `set` adds the flags of the test.
 */
export function startClusterNode(
  root: string,
  name: string,
  store: readonly string[],
  set: readonly string[],
): Promise<SenderdProcess> {
  const data = join(root, name);
  mkdirSync(data);
  return startSenderd(data, [
    ...store,
    `secrets.kekFile=${join(root, 'kek.key')}`,
    'resolvers.servers=127.0.0.1:9',
    'log.level=info',
    ...set,
  ]);
}

/** Polls `probe` every 50 ms until it gives a value; fails naming `what` after `ms`. */
export async function until<T>(
  what: string,
  ms: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
