/**
 * The edge's listeners against what the internet sends, with a certificate placed in the store by hand (no CA):
 * names it has no certificate for, no SNI, a Host that is not the SNI name, garbage instead of TLS, heads too
 * large, a client that never finishes its head, challenges for the wrong host. An unknown host gets the same
 * answer as an unknown path, so nothing tells one tenant's hosts from another's, or from none.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startTestNode, type TestNode } from '../support/node.ts';
import { run } from '../support/tools.ts';
import { edgeRequest, handshake, placeIssuedCertificate, portOf, type EdgeAnswer } from './edge-client.ts';

const HOST = 'clicks.example.com';
const PENDING = 'clicks.example.org';
let t: TestNode;
let http = 0;
let https = 0;
let certFile = '';

before(async () => {
  t = await startTestNode({ set: ['edge.requestTimeoutSeconds=1'] });
  http = portOf(t.node, 'edge')!;
  https = portOf(t.node, 'edge-https')!;
  const s = t.services;
  const tenant = await s.accounts.addTenant('acme');
  const domain = await s.domains.add(tenant.id, 'example.com');
  const other = await s.domains.add(tenant.id, 'example.org');
  const now = new Date().toISOString();
  const edge = s.store.edge;
  await edge.insertHost({ hostname: HOST, role: 'click', domainId: domain.id, tenantId: tenant.id, at: now });
  await edge.insertHost({
    hostname: PENDING,
    role: 'click',
    domainId: other.id,
    tenantId: tenant.id,
    at: now,
  });
  certFile = join(t.config.dataDir, 'edge-test.crt');
  writeFileSync(certFile, await placeIssuedCertificate(s, HOST, 'c1'));
  await edge.putChallenge({
    token: 'A'.repeat(43),
    hostname: PENDING,
    keyAuthorization: `${'A'.repeat(43)}.thumb`,
    createdAt: now,
  });
  await s.edge.changed();
});

after(async () => {
  await t?.close();
});

const tls = (host: string, servername = HOST) => ({ host, tls: { servername } });
/** The parts of an answer that could tell hosts apart (not the date). */
const shape = (a: EdgeAnswer) => ({ status: a.status, type: a.headers['content-type'], body: a.body });

test('the host with a certificate is served by SNI and verifies against its certificate', async () => {
  const r = await run(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${https}`,
      '-servername',
      HOST,
      '-CAfile',
      certFile,
      '-verify_return_error',
      '-verify_hostname',
      HOST,
    ],
    { input: '' },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
  const root = await edgeRequest({ port: https, ...tls(HOST), method: 'GET' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.location, 'https://example.com/');
  const head = await edgeRequest({ port: https, ...tls(HOST), method: 'HEAD' });
  assert.equal(head.status, 302);
  assert.equal(head.body, '');
  const post = await edgeRequest({ port: https, ...tls(HOST), method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('a name without a certificate, or no name at all: the handshake ends with an alert and shows nothing', async () => {
  for (const name of [PENDING, 'unknown.example.net', undefined]) {
    const h = await handshake(https, name);
    assert.equal(h.ok, false, `${name ?? 'no SNI'} got a certificate`);
    const r = await run(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${https}`,
        ...(name === undefined ? ['-noservername'] : ['-servername', name]),
      ],
      { input: '' },
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /no peer certificate available/);
    assert.match(r.stderr, /alert handshake failure/);
  }
});

test('over TLS, a Host that is not the SNI name is 421 Misdirected Request', async () => {
  const r = await edgeRequest({ port: https, host: PENDING, tls: { servername: HOST } });
  assert.equal(r.status, 421);
  // Case and a trailing dot do not make a name another one.
  assert.equal(
    (await edgeRequest({ port: https, host: 'Clicks.Example.COM.', tls: { servername: HOST } })).status,
    302,
  );
});

test('unknown hosts and unknown paths get the same plain 404, over HTTP and HTTPS', async () => {
  const answers = [
    await edgeRequest({ port: http, host: 'unknown.example.net' }),
    await edgeRequest({ port: http, host: 'unknown.example.net', path: '/c/abc' }),
    await edgeRequest({ port: http, host: PENDING, path: '/nothing-here' }),
    await edgeRequest({ port: https, ...tls(HOST), path: '/nothing-here' }),
    await edgeRequest({ port: http, host: '127.0.0.1' }),
    await edgeRequest({ port: http, host: '[::1]:80' }),
  ];
  for (const a of answers) assert.deepEqual(shape(a), shape(answers[0]!));
  assert.deepEqual(shape(answers[0]!), {
    status: 404,
    type: 'text/plain; charset=utf-8',
    body: 'Not found\n',
  });
});

test('over HTTP a host with a certificate moves to HTTPS: 301, or 308 to keep a POST a POST', async () => {
  const get = await edgeRequest({ port: http, host: HOST, path: '/u/x?y=1' });
  assert.equal(get.status, 301);
  assert.equal(get.headers.location, `https://${HOST}:${https}/u/x?y=1`);
  const post = await edgeRequest({ port: http, host: HOST, method: 'POST', path: '/u/x' });
  assert.equal(post.status, 308);
  // A host still waiting for its certificate is served over HTTP as it is.
  assert.equal((await edgeRequest({ port: http, host: PENDING })).status, 302);
});

test('ACME challenges: answered over HTTP for their own host only', async () => {
  const token = 'A'.repeat(43);
  const path = `/.well-known/acme-challenge/${token}`;
  const ok = await edgeRequest({ port: http, host: PENDING, path });
  assert.equal(ok.status, 200);
  assert.equal(ok.body, `${token}.thumb`);
  for (const other of [
    { port: http, host: HOST, path },
    { port: http, host: 'unknown.example.net', path },
    { port: http, host: PENDING, path: '/.well-known/acme-challenge/../../etc/passwd' },
    { port: http, host: PENDING, path: `/.well-known/acme-challenge/${'B'.repeat(43)}` },
  ])
    assert.equal((await edgeRequest(other)).status, 404, JSON.stringify(other));
});

test('garbage instead of TLS, and heads too large, end the connection and nothing else', async () => {
  for (const port of [https, http]) {
    const closed = await new Promise<string>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => socket.write(randomBytes(4096)));
      let reply = '';
      socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(reply));
    });
    if (port === http) assert.match(closed, /^HTTP\/1\.1 400 /);
  }
  const huge = { 'x-filler': 'a'.repeat(16 * 1024) };
  for (const options of [
    { port: http, host: HOST },
    { port: https, ...tls(HOST) },
  ]) {
    const r = await edgeRequest({ ...options, headers: huge });
    assert.equal(r.status, 431);
  }
  assert.equal((await edgeRequest({ port: https, ...tls(HOST) })).status, 302, 'still serving');
});

test('a client that never finishes its head is cut off after the request timeout (408)', async () => {
  const reply = await new Promise<string>((resolve) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port: https, servername: HOST, rejectUnauthorized: false },
      () => socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nX-Slow: `),
    );
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
  assert.match(reply, /^HTTP\/1\.1 408 /);
});
