/**
 * One client cannot take a node down by holding connections (issue 14, items 1, 5 and 7). A real `senderd start`
 * runs as a child process under a lowered descriptor limit (prlimit), so the limits are reached quickly. While one
 * client holds as many connections as it can on every listener, a second client still gets its answers on every
 * listener; and while many addresses flood the HTTP listener past the process's descriptor limit, the other
 * listeners still answer (each has its own share of the descriptors).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { queryPacket } from '../support/dns-packets.ts';
import { tempDir, testConfig, type TestDir } from '../support/node.ts';
import { BIN, startProcess, type ServiceProcess } from '../support/process.ts';
import { senderdFlags } from '../support/senderd-process.ts';

const SOFT = 512;
const HARD = 1024;

let dir: TestDir;
let node: ServiceProcess;
const ports: Record<string, number> = {};

before(async () => {
  dir = tempDir('senderd-connection-limits-');
  testConfig(dir.path); // the KEK file
  node = startProcess(
    [
      `--nofile=${SOFT}:${HARD}`,
      BIN,
      ...senderdFlags(dir.path, [
        'http.enabled=true',
        'http.host=127.0.0.1',
        'http.port=0',
        'gateway.implicitTls.enabled=false',
        'gateway.relay.enabled=false',
        'checks.enabled=false',
        'dkim.scheduler=false',
        'reports.reverseDns.enabled=false',
      ]),
      'start',
    ],
    { cwd: dir.path, command: 'prlimit' },
  );
  for (const name of ['http', 'dns', 'gateway', 'inbound']) {
    const m = await node.waitFor(
      new RegExp(`"component":"${name}","address":"[a-z]+://127\\.0\\.0\\.1:(\\d+)"`),
    );
    ports[name] = Number(m[1]);
  }
});

after(async () => {
  await node?.stop();
  dir?.remove();
});

/** Opens a connection from `localAddress`; resolves once connected, or null if it could not connect at all. */
function hold(port: number, localAddress: string, first = ''): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.once('connect', () => {
      if (first !== '') socket.write(first);
      resolve(socket);
    });
    socket.once('error', () => resolve(null));
  });
}

/** What a second client gets from every listener: an HTTP answer, a DNS answer over TCP, two SMTP greetings. */
async function answers(from = '127.0.0.1'): Promise<Record<string, string>> {
  const firstLine = async (port: number, send = '') => {
    const socket = await hold(port, from, send);
    if (socket === null) return 'no connection';
    return new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.includes('\r\n')) {
          socket.destroy();
          resolve(text.split('\r\n')[0]!);
        }
      });
      socket.on('close', () => resolve(text === '' ? 'closed' : text));
    });
  };
  const dnsAnswer = async () => {
    const query = queryPacket({ name: 'mail.example.net', type: 6 });
    const frame = Buffer.concat([Buffer.from([0, query.length]), query]);
    const socket = await hold(ports.dns!, from);
    if (socket === null) return 'no connection';
    socket.write(frame);
    return new Promise<string>((resolve) => {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
          socket.destroy();
          resolve(`rcode ${got[5]! & 0x0f}, ${got.readUInt16BE(8)} answers`);
        }
      });
      socket.on('close', () => resolve('no answer'));
    });
  };
  return {
    http: await firstLine(ports.http!, 'GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'),
    dns: await dnsAnswer(),
    gateway: await firstLine(ports.gateway!),
    inbound: await firstLine(ports.inbound!),
  };
}

function assertAnswered(got: Record<string, string>, skip: readonly string[] = []) {
  if (!skip.includes('http')) assert.match(got.http!, /^HTTP\/1\.1 200/, `http: ${got.http}`);
  assert.match(got.dns!, /^rcode 0, 1 answers/, `dns: ${got.dns}`);
  assert.match(got.gateway!, /^220 /, `gateway: ${got.gateway}`);
  assert.match(got.inbound!, /^220 /, `inbound: ${got.inbound}`);
}

/** Opens up to `count` connections to `port`, spread over `addresses`; returns those the server kept open. */
async function flood(
  port: number,
  addresses: readonly string[],
  count: number,
  first = '',
): Promise<Socket[]> {
  const held: Socket[] = [];
  const refused: Promise<void>[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        hold(port, addresses[(i + j) % addresses.length]!, first),
      ),
    );
    for (const socket of batch) {
      if (socket === null) continue;
      held.push(socket);
      refused.push(new Promise((resolve) => socket.once('close', () => resolve())));
    }
  }
  return held;
}

test('Node raises the soft open-files limit to the hard one, and the node shares it among its listeners', () => {
  const limits = readFileSync(`/proc/${node.child.pid}/limits`, 'utf8');
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'))!;
  assert.match(line, new RegExp(`^Max open files\\s+${HARD}\\s+${HARD}\\s`), line);
  assert.match(node.stdout(), new RegExp(`"descriptorLimit":${HARD}`));
  assert.match(node.stdout(), /connection maxima do not fit the open-files limit/);
});

test('one client holding every connection it can on every listener does not stop a second client', async () => {
  assertAnswered(await answers());
  const attacker = '127.0.0.2';
  const held = [
    ...(await flood(ports.http!, [attacker], 300, 'GET /healthz HTTP/1.1\r\nHost: test\r\n')),
    ...(await flood(ports.dns!, [attacker], 300)),
    ...(await flood(ports.gateway!, [attacker], 300)),
    ...(await flood(ports.inbound!, [attacker], 300)),
  ];
  try {
    assertAnswered(await answers());
    // The attacker itself is held to its per-client share: a fresh connection from it is refused.
    const more = await answers(attacker);
    assert.match(more.http!, /^HTTP\/1\.1 503/, `http: ${more.http}`);
    assert.match(more.gateway!, /^421 .*Too many connections from your address/, `gateway: ${more.gateway}`);
    assert.match(more.inbound!, /^421 .*Too many connections/, `inbound: ${more.inbound}`);
    assert.equal(more.dns, 'no answer');
  } finally {
    for (const socket of held) socket.destroy();
  }
});

test('many addresses flooding HTTP past the descriptor limit leave the other listeners answering', async () => {
  const addresses = Array.from({ length: 40 }, (_, i) => `127.0.3.${i + 1}`);
  const held = await flood(ports.http!, addresses, HARD + 200, 'GET /healthz HTTP/1.1\r\nHost: test\r\n');
  try {
    const got = await answers();
    assertAnswered(got, ['http']);
    assert.match(got.http!, /^HTTP\/1\.1 (503|200)/, `http: ${got.http}`);
  } finally {
    for (const socket of held) socket.destroy();
  }
  // Once the flood is gone, HTTP answers again.
  let http = '';
  for (let attempt = 0; attempt < 50 && !http.startsWith('HTTP/1.1 200'); attempt++)
    http = (await answers()).http!;
  assert.match(http, /^HTTP\/1\.1 200/);
});
