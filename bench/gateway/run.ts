/**
 * Gateway benchmark (npm run bench:gateway):
 *
 *   smtp-source (Postfix) → gateway relay port (RSA-2048 signing, durable spool with fdatasync) → smtp-sink
 *
 * 2 KB messages over 10 connections, for one RSA signature, two RSA (rotation overlap) and RSA + Ed25519. Prints
 * msgs/s accepted (250 after the spool's fdatasync) and end to end (until smtp-sink has them all), each as a
 * ratio to `openssl speed -seconds 3 rsa2048` single-core sign/s measured in the same run. Then MB/s signed for
 * 1 MB messages: the signer alone (canonicalise, hash, sign), and end to end through the gateway.
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { signMessage } from '../../src/gateway/index.ts';
import { parseHeaderFieldsForBench, inspectForBench } from './internals.ts';
import { prepareGatewayChild, spawnGatewayChild } from '../../test/support/gateway-child.ts';
import { tempDir } from '../../test/support/node.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);

function opensslRsaSignsPerSecond(): number {
  const out = execFileSync('openssl', ['speed', '-seconds', '3', 'rsa2048'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = out.split('\n').find((l) => /^rsa\s+2048 bits/.test(l));
  const fields = line?.trim().split(/\s+/) ?? [];
  // "rsa 2048 bits 0.000284s 0.000008s 3521.1 120594.6": sign/s is the fifth number.
  return Number(fields[5]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Postfix smtp-sink with a live count of the messages it took (its -c output: "mesg=N"). */
async function startSmtpSink(): Promise<{ port: number; count: () => number; stop: () => void }> {
  const port = await freePort();
  const sink = spawn('/usr/sbin/smtp-sink', ['-c', '-u', 'root', `127.0.0.1:${port}`, '1000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  sink.stdout.on('data', (c: Buffer) => {
    const all = [...c.toString().matchAll(/mesg=(\d+)/g)];
    if (all.length > 0) count = Number(all[all.length - 1]![1]);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { port, count: () => count, stop: () => sink.kill('SIGTERM') };
}

async function run(
  label: string,
  algorithms: Array<'rsa-sha256' | 'ed25519-sha256'>,
  messages: number,
  bodyBytes: number,
  sessions: number,
): Promise<{ accepted: number; endToEnd: number }> {
  const dir = tempDir('senderd-bench-');
  const sink = await startSmtpSink();
  const spec = await prepareGatewayChild({
    dir: dir.path,
    smarthostPort: sink.port,
    algorithms,
    flags: ['gateway.limits.maxMessageBytes=52428800'],
  });
  const gateway = await spawnGatewayChild(spec);
  try {
    const started = performance.now();
    const source = spawn(
      '/usr/sbin/smtp-source',
      [
        '-d',
        '-s',
        String(sessions),
        '-m',
        String(messages),
        '-l',
        String(bodyBytes),
        '-f',
        'bench@example.com',
        '-t',
        'sink@sink.test',
        `127.0.0.1:${gateway.relayPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await new Promise((resolve) => source.once('exit', resolve));
    const acceptedSeconds = (performance.now() - started) / 1000;
    const deadline = Date.now() + 300_000;
    while (sink.count() < messages && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const totalSeconds = (performance.now() - started) / 1000;
    if (sink.count() < messages)
      console.log(`  ${label}: only ${sink.count()} of ${messages} reached the sink`);
    return { accepted: messages / acceptedSeconds, endToEnd: sink.count() / totalSeconds };
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    sink.stop();
    dir.remove();
  }
}

/** `line` repeated to 1 MB; the worst case has a tab, a double space and trailing spaces on every line. */
async function signerMegabytesPerSecond(line: string): Promise<number> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const body = line.repeat(Math.ceil((1024 * 1024) / line.length));
  const raw = Buffer.from(`From: a@example.com\r\nTo: b@example.org\r\nSubject: big\r\n\r\n${body}`);
  const rounds = 40;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const inspected = inspectForBench(raw);
    const fields = parseHeaderFieldsForBench(
      inspected.bytes.subarray(0, inspected.headerLength).toString('latin1'),
    );
    await signMessage({
      signingDomain: 'example.com',
      keys: [{ selector: 'sd1', algorithm: 'rsa-sha256', privateKey, keyId: 'k' }],
      fields,
      body: inspected.bytes.subarray(inspected.bodyStart),
      now: new Date(),
    });
  }
  return (raw.length * rounds) / 1024 / 1024 / ((performance.now() - started) / 1000);
}

const rsa = opensslRsaSignsPerSecond();
console.log(`openssl speed rsa2048, one core: ${rsa.toFixed(0)} sign/s`);
const ratio = (x: number) => `${(x / rsa).toFixed(2)}x`;
for (const [label, algorithms, target] of [
  ['RSA-2048', ['rsa-sha256'], 0.6],
  ['RSA-2048 + RSA-2048 (rotation)', ['rsa-sha256', 'rsa-sha256'], 0.35],
  ['RSA-2048 + Ed25519', ['rsa-sha256', 'ed25519-sha256'], 0.35],
] as const) {
  const r = await run(label, [...algorithms], MESSAGES, 2048, 10);
  console.log(
    `${label}: 2 KB x ${MESSAGES} over 10 connections: accepted ${r.accepted.toFixed(0)} msgs/s (${ratio(r.accepted)}), ` +
      `end to end ${r.endToEnd.toFixed(0)} msgs/s (${ratio(r.endToEnd)}); target >= ${target}x`,
  );
}
const plain = await signerMegabytesPerSecond(
  'The quick brown fox jumps over the lazy dog, and then rests a while.\r\n',
);
const worst = await signerMegabytesPerSecond(
  'The quick brown fox jumps over the lazy dog, and  then\trests a while.  \r\n',
);
console.log(
  `1 MB messages, signer alone (inspect, canonicalise, hash, RSA sign): ${plain.toFixed(0)} MB/s for plain text, ` +
    `${worst.toFixed(0)} MB/s when every line needs rewriting; target >= 100 MB/s`,
);
const big = await run('1 MB', ['rsa-sha256'], 200, 1024 * 1024, 4);
console.log(
  `1 MB messages end to end through the gateway (4 connections): ${big.endToEnd.toFixed(0)} MB/s (accepted ${big.accepted.toFixed(0)} MB/s)`,
);
