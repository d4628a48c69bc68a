/** The stub resolver against a real NSD on loopback, and against raw UDP sockets that misbehave. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import packet from 'dns-packet';
import { cryptoRandom } from '../../src/core/index.ts';
import { StubResolver, joinTxt } from '../../src/resolver/index.ts';
import { ADDRESS, startDnsTree, type DnsTree } from '../checks/dns-tree.ts';

let tree: DnsTree;
const resolver = new StubResolver({ timeoutMs: 300, attempts: 2, random: cryptoRandom });
const big = Array.from(
  { length: 12 },
  (_, i) => `big 300 IN TXT "${String(i).padStart(2, '0')}${'x'.repeat(200)}"`,
).join('\n');

before(async () => {
  tree = await startDnsTree([
    {
      origin: 'example.com',
      body: `${big}\nwww 300 IN CNAME example.org.\nv6 300 IN AAAA 2001:db8:0:0:1:0:0:0\nv6 300 IN AAAA ::ffff:192.0.2.1`,
      servers: ['ns1'],
    },
  ]);
});
/** One question to ns1 (or `host`) on the tree's port. */
function ask(name: string, type: 'A' | 'AAAA' | 'TXT', host: string = ADDRESS.ns1) {
  return resolver.query({ name, type, server: { host, port: tree.port }, recursionDesired: false });
}

after(async () => {
  resolver.close();
  await tree.stop();
});

test('an authoritative answer over UDP, names normalised', async () => {
  const r = await ask('WWW.Example.COM.', 'A');
  assert.equal(r.outcome, 'response');
  if (r.outcome !== 'response') return;
  assert.equal(r.transport, 'udp');
  assert.equal(r.flags.aa, true);
  assert.deepEqual(
    r.answers.map((a) => [a.name, a.data]),
    [['www.example.com', { type: 'CNAME', target: 'example.org' }]],
  );
});

test('a truncated UDP answer (TC=1) is asked again over TCP (RFC 7766)', async () => {
  const r = await ask('big.example.com', 'TXT');
  assert.equal(r.outcome, 'response');
  if (r.outcome !== 'response') return;
  assert.equal(r.transport, 'tcp');
  assert.equal(r.answers.length, 12);
  const texts = r.answers.map((a) => (a.data.type === 'TXT' ? joinTxt(a.data) : '')).sort();
  assert.equal(texts[11], `11${'x'.repeat(200)}`);
});

test('AAAA addresses arrive in RFC 5952 text (the longest run of zeros shortened, mapped ones dotted)', async () => {
  const r = await ask('v6.example.com', 'AAAA');
  assert.equal(r.outcome, 'response');
  if (r.outcome !== 'response') return;
  assert.deepEqual(r.answers.map((a) => (a.data.type === 'AAAA' ? a.data.address : '')).sort(), [
    '2001:db8:0:0:1::',
    '::ffff:192.0.2.1',
  ]);
});

test('NXDOMAIN and REFUSED are answers, not errors', async () => {
  const nx = await ask('nope.example.com', 'TXT');
  assert.equal(nx.outcome === 'response' && nx.rcode, 'NXDOMAIN');
  const refused = await ask('example.org', 'TXT');
  assert.equal(refused.outcome === 'response' && refused.rcode, 'REFUSED');
});

test('nothing listening is a timeout after every attempt, never a throw', async () => {
  const started = Date.now();
  const r = await ask('example.com', 'A', ADDRESS.blackhole);
  assert.equal(r.outcome, 'timeout');
  assert.ok(Date.now() - started >= 500, 'both attempts waited');
});

test('a reply with the wrong id, from the wrong port, or for another question is ignored (RFC 5452)', async () => {
  const server = createSocket('udp4');
  const liar = createSocket('udp4');
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => liar.bind(0, '127.0.0.1', r));
  server.on('message', (msg, rinfo) => {
    const q = packet.decode(msg);
    const reply = (id: number, name: string, address: string) =>
      packet.encode({
        type: 'response',
        id,
        flags: packet.AUTHORITATIVE_ANSWER,
        questions: [{ type: 'A', name }],
        answers: [{ type: 'A', name, ttl: 60, data: address }],
      });
    const id = q.id ?? 0;
    const name = q.questions![0]!.name;
    server.send(reply((id + 1) & 0xffff, name, '192.0.2.66'), rinfo.port, rinfo.address);
    server.send(reply(id, 'other.example', '192.0.2.67'), rinfo.port, rinfo.address);
    liar.send(reply(id, name, '192.0.2.68'), rinfo.port, rinfo.address);
    setTimeout(() => server.send(reply(id, name, '192.0.2.1'), rinfo.port, rinfo.address), 20);
  });
  try {
    const r = await resolver.query({
      name: 'x.example',
      type: 'A',
      server: { host: '127.0.0.1', port: server.address().port },
      recursionDesired: true,
    });
    assert.equal(r.outcome, 'response');
    assert.deepEqual(r.outcome === 'response' ? r.answers.map((a) => a.data) : [], [
      { type: 'A', address: '192.0.2.1' },
    ]);
  } finally {
    server.close();
    liar.close();
  }
});

test('garbage in reply is ignored and ends as a timeout', async () => {
  const server = createSocket('udp4');
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  server.on('message', (_msg, rinfo) => server.send(Buffer.from([1, 2, 3]), rinfo.port, rinfo.address));
  try {
    const r = await resolver.query({
      name: 'x.example',
      type: 'A',
      server: { host: '127.0.0.1', port: server.address().port },
      recursionDesired: true,
    });
    assert.equal(r.outcome, 'timeout');
  } finally {
    server.close();
  }
});
