/**
 * The edge's listeners count connections with src/connections, as every other listener does: overall and per
 * client address. One client holding many connections gets refused past its share, and another client's request
 * still gets through (before, the edge had only node's per-listener `maxConnections`, which one client could fill).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestNode, type TestNode } from '../support/node.ts';
import { portOf } from './edge-client.ts';

let t: TestNode;
let http = 0;
let https = 0;

before(async () => {
  t = await startTestNode({ set: ['edge.maxConnections=6', 'edge.maxConnectionsPerIp=4'] });
  http = portOf(t.node, 'edge')!;
  https = portOf(t.node, 'edge-https')!;
});

after(async () => {
  await t.close();
});

/** A connection from `from` (any 127/8 address is this host on Linux), open once the edge has taken it. */
async function open(port: number, from: string): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

/** What the edge sends on a connection until it closes it, or '' after `ms` of nothing (the connection stays). */
function received(socket: Socket, ms = 1_000): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve({ data, closed: false }), ms);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ data, closed: true });
    });
    socket.on('error', () => undefined);
  });
}

async function request(port: number, from: string): Promise<string> {
  const socket = await open(port, from);
  socket.write('GET / HTTP/1.1\r\nHost: nobody.example\r\nConnection: close\r\n\r\n');
  const answer = await received(socket, 5_000);
  socket.destroy();
  return answer.data.split('\r\n')[0] ?? '';
}

test('one client holding connections to the edge: past its share it is refused, and another client is still served', async () => {
  const held: Socket[] = [];
  try {
    // Client A takes its four connections on each listener, and tries for more.
    for (let i = 0; i < 4; i++) held.push(await open(http, '127.0.0.1'), await open(https, '127.0.0.1'));
    const moreHttp = await open(http, '127.0.0.1');
    const moreHttps = await open(https, '127.0.0.1');
    const [refusedHttp, refusedHttps] = await Promise.all([received(moreHttp), received(moreHttps)]);
    assert.equal(refusedHttp.closed, true);
    assert.match(refusedHttp.data, /^HTTP\/1\.1 503 /);
    // On the TLS port a refusal in clear text would be noise to a TLS client: the connection is just closed.
    assert.deepEqual(refusedHttps, { data: '', closed: true });
    // Client B, from another address, gets its answer while A's connections stay open.
    const status = await request(http, '127.0.0.2');
    assert.match(status, /^HTTP\/1\.1 (?!503)\d{3} /);
    const b = await open(https, '127.0.0.2');
    assert.equal((await received(b, 500)).closed, false, 'B keeps its connection to the TLS port');
    b.destroy();
  } finally {
    for (const socket of held) socket.destroy();
  }
});
