/**
 * The gateway's memory under a burst of large messages (issue 14 item 6): a gateway child (test/support/gateway-
 * process.ts, delivering to Postfix's smtp-sink), then `connections` authenticated submission sessions at once
 * (STARTTLS, AUTH PLAIN), each sending one message of `mib` MiB. Prints the gateway's resident memory when idle,
 * its peak during the burst (VmHWM), and after the burst once every message was delivered, with the ratios of the
 * peak and of the figure 30 s after to the idle one (issue 14: after a burst the RSS returns near its idle figure).
 * Beside each figure, where the memory is (memory-map.ts): /proc smaps by kind of mapping, V8's spaces, Buffers.
 *
 *     npm run bench:gateway-memory [-- --connections 250 --mib 24 --bursts 1]
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { openServices } from '../../src/main.ts';
import { prepareGatewayChild, spawnGatewayChild } from '../../test/support/gateway-child.ts';
import { corpusPublicSuffixes, testConfig } from '../../test/support/node.ts';
import { loadAverage } from './cpu.ts';
import { describeMemory, memoryMap, reportedMemory } from './memory-map.ts';
import { benchDir, undoOnExit } from './exit-cleanup.ts';
import { startSmtpSink, waitForSink } from './smtp-load.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '250' },
    mib: { type: 'string', default: '24' },
    // A second burst tells memory kept for reuse (the peak does not grow) from memory lost (it does).
    bursts: { type: 'string', default: '1' },
  },
});
const bursts = Number(values.bursts);
const connections = Number(values.connections);
const mib = Number(values.mib);
const MiB = 1024 * 1024;

/** VmRSS and VmHWM (peak) of a process, in MiB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** One MiB of plain text lines (none starts with a period, so no dot-stuffing is needed). */
const block = (() => {
  let text = '';
  for (let i = 0; text.length < MiB - 80; i++)
    text += `line ${i} of a large message, with some words in it\r\n`;
  return Buffer.from(text.padEnd(MiB - 2, 'x') + '\r\n', 'latin1');
})();

/** A minimal SMTP client: reads replies, writes with backpressure. */
class Session {
  #socket: Socket | TLSSocket;
  #buffer = '';
  #waiting: (() => void) | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  #listen(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      this.#waiting?.();
    });
    socket.on('error', () => this.#waiting?.());
  }

  async reply(): Promise<string> {
    for (;;) {
      const m = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(this.#buffer);
      if (m) {
        this.#buffer = this.#buffer.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (this.#socket.destroyed) throw new Error(`connection closed; have ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  async command(line: string, expect: RegExp): Promise<void> {
    this.#socket.write(line + '\r\n');
    const reply = await this.reply();
    if (!expect.test(reply)) throw new Error(`${line.split(' ')[0]}: ${reply}`);
  }

  async send(data: Buffer): Promise<void> {
    if (this.#socket.write(data)) return;
    await new Promise((resolve) => this.#socket.once('drain', resolve));
  }

  async startTls(): Promise<void> {
    const secure = connectTls({ socket: this.#socket, rejectUnauthorized: false });
    await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    this.#socket = secure;
    this.#listen(secure);
  }

  close(): void {
    this.#socket.destroy();
  }
}

async function submit(port: number, user: string, password: string, n: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const s = new Session(socket);
  try {
    if (!/^220 /.test(await s.reply())) throw new Error('no greeting');
    await s.command('EHLO bench.test', /^250/);
    await s.command('STARTTLS', /^220/);
    await s.startTls();
    await s.command('EHLO bench.test', /^250/);
    await s.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`, /^235/);
    await s.command('MAIL FROM:<bench@example.com>', /^250/);
    await s.command('RCPT TO:<sink@sink.test>', /^250/);
    await s.command('DATA', /^354/);
    await s.send(Buffer.from(`From: bench@example.com\r\nTo: sink@sink.test\r\nSubject: large ${n}\r\n\r\n`));
    for (let i = 0; i < mib; i++) await s.send(block);
    await s.command('.', /^250/);
    await s.command('QUIT', /^221/);
  } finally {
    s.close();
  }
}

const dir = benchDir('senderd-bench-memory-');
const sink = await startSmtpSink();
try {
  const flags = [
    `gateway.limits.maxMessageBytes=${(mib + 1) * MiB}`,
    `gateway.limits.maxConnections=${connections + 50}`,
    `gateway.limits.maxConnectionsPerIp=${connections + 50}`,
    'gateway.limits.idleTimeoutSeconds=600',
  ];
  const spec = await prepareGatewayChild({
    dir: dir.path,
    smarthostPort: sink.port,
    algorithms: ['rsa-sha256'],
    flags,
  });
  // An SMTP credential for the tenant the child made (the same store, before the child opens it).
  const { flags: childFlags } = JSON.parse(readFileSync(spec, 'utf8')) as { flags: string[] };
  const services = await openServices(testConfig(dir.path, childFlags), {
    publicSuffixes: corpusPublicSuffixes(),
  });
  let credential: { username: string; password: string };
  try {
    const tenant = await services.accounts.tenantByName('acme');
    const made = await services.smtpCredentials.create(tenant.id, 'bench');
    credential = { username: made.credential.username, password: made.password };
  } finally {
    await services.close();
  }
  const gateway = await spawnGatewayChild(spec);
  const forget = undoOnExit(() => gateway.child.kill('SIGTERM'));
  try {
    const pid = gateway.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = memoryOf(pid).rss;
    const where = async () => `      ${describeMemory(memoryMap(pid), await reportedMemory(gateway.child))}`;
    console.log(
      `gateway memory: ${connections} authenticated connections, each one message of ${mib} MiB (load average ${loadAverage().toFixed(1)} on this machine)`,
    );
    console.log(`  idle RSS                 ${idle.toFixed(0)} MiB`);
    console.log(await where());
    for (let burst = 1; burst <= bursts; burst++) {
      let highest = memoryOf(pid).rss;
      const sampler = setInterval(() => (highest = Math.max(highest, memoryOf(pid).rss)), 100);
      // Every second, the highest of each part: Buffers alive, malloc's main arena, V8's resident heap.
      const most = { buffers: 0, brkHeap: 0, v8: 0 };
      const parts = setInterval(() => {
        const map = memoryMap(pid);
        void reportedMemory(gateway.child).then((r) => {
          most.buffers = Math.max(most.buffers, r.memory.arrayBuffers);
          most.brkHeap = Math.max(most.brkHeap, map.brkHeap);
          most.v8 = Math.max(
            most.v8,
            r.heapSpaces.reduce((n, x) => n + x.physical, 0),
          );
        });
      }, 1_000);
      const started = performance.now();
      const before = sink.count();
      const results = await Promise.allSettled(
        Array.from({ length: connections }, (_, n) =>
          submit(gateway.submissionPort, credential.username, credential.password, n),
        ),
      );
      const acceptedSeconds = (performance.now() - started) / 1000;
      const failed = results.filter((r) => r.status === 'rejected');
      const accepted = connections - failed.length;
      await waitForSink(sink, before + accepted);
      const deliveredSeconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      clearInterval(parts);
      // VmHWM is the process's peak so far: exact for the first burst, a bound for later ones.
      const peak = burst === 1 ? Math.max(highest, memoryOf(pid).peak) : highest;
      console.log(
        `  burst ${burst}: peak RSS      ${peak.toFixed(0)} MiB  (${accepted} accepted in ${acceptedSeconds.toFixed(1)} s, ${sink.count() - before} delivered after ${deliveredSeconds.toFixed(1)} s)`,
      );
      console.log(
        `      highest during the burst (sampled each second): Buffers ${(most.buffers / MiB).toFixed(0)} MiB, [heap] ${(most.brkHeap / MiB).toFixed(0)} MiB, V8 resident ${(most.v8 / MiB).toFixed(0)} MiB`,
      );
      console.log(await where());
      if (failed.length > 0)
        console.log(
          `  ${failed.length} failed, the first: ${String((failed[0] as PromiseRejectedResult).reason)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      console.log(`  burst ${burst}: RSS 5 s after  ${memoryOf(pid).rss.toFixed(0)} MiB`);
      await new Promise((resolve) => setTimeout(resolve, 25_000));
      const after = memoryOf(pid).rss;
      console.log(`  burst ${burst}: RSS 30 s after ${after.toFixed(0)} MiB`);
      console.log(await where());
      console.log(
        `  burst ${burst}: peak/idle ${(peak / idle).toFixed(2)}, 30 s after/idle ${(after / idle).toFixed(2)}`,
      );
    }
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    forget();
  }
} finally {
  sink.stop();
  dir.remove();
}
