/**
 * Request bodies are limited by route before they are read (issue 14, item 2): a declared Content-Length over the
 * limit gets 413 at once, with the body unsent; a chunked body gets 413 as soon as it passes the limit; the report
 * upload keeps its own, larger limit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestNode, type TestNode } from '../support/node.ts';

let t: TestNode;
let apiKey: string;

before(async () => {
  t = await startTestNode({ set: ['http.maxBodyBytes=16384', 'http.maxSignInBodyBytes=4096'] });
  const alpha = await t.services.accounts.addTenant('alpha');
  apiKey = (await t.services.accounts.createApiKey(alpha.id, 'test')).key;
});
after(async () => {
  await t?.close();
});

interface Exchange {
  readonly socket: Socket;
  /** The status code of the answer, once its head has arrived. */
  readonly status: Promise<number>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
}

/** Opens a connection and sends `head`; the body (if any) is the caller's to send. */
function open(head: string): Exchange {
  const url = new URL(t.http);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined);
  let text = '';
  const status = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match !== null && text.includes('\r\n\r\n')) resolve(Number(match[1]));
    });
    socket.on('close', () => reject(new Error(`closed without an answer: ${JSON.stringify(text)}`)));
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(head);
  return { socket, status, closed };
}

const post = (path: string, headers: Record<string, string>) =>
  `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

test('sign-in with a declared 200 MB body gets 413 before the body is sent, and the connection closes', async () => {
  const x = open(post('/v1/session', { 'Content-Length': String(200 * 1024 * 1024) }));
  x.socket.write('{"email":"');
  assert.equal(await x.status, 413);
  await x.closed;
});

test('a chunked sign-in body gets 413 once it passes the limit, not after the client stops', async () => {
  const x = open(post('/v1/session', { 'Transfer-Encoding': 'chunked' }));
  let sent = 0;
  let answered = false;
  void x.status.then(
    () => (answered = true),
    () => (answered = true),
  );
  const chunk = `400\r\n${'a'.repeat(0x400)}\r\n`;
  // Send 1 KiB chunks until the answer comes; the server must answer while the body is still open.
  while (!answered && sent < 1024 * 1024) {
    await new Promise<void>((resolve) => x.socket.write(chunk, () => resolve()));
    sent += 0x400;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.equal(await x.status, 413);
  assert.ok(sent < 256 * 1024, `answered after ${sent} bytes`);
  x.socket.destroy();
});

test('an authenticated JSON route refuses a declared 50 MB body at once', async () => {
  const x = open(
    post('/v1/domains', { Authorization: `Bearer ${apiKey}`, 'Content-Length': String(50 * 1024 * 1024) }),
  );
  assert.equal(await x.status, 413);
  x.socket.destroy();
});

test('bodies within the limits are read as before', async () => {
  const signIn = await fetch(`${t.http}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.http },
    body: JSON.stringify({ email: 'nobody@alpha.example', password: 'x'.repeat(1000) }),
  });
  assert.equal(signIn.status, 401);
  const domain = await fetch(`${t.http}/v1/domains`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ name: 'alpha.com', note: 'x'.repeat(10_000) }),
  });
  assert.notEqual(domain.status, 413);
  const tooBig = await fetch(`${t.http}/v1/domains`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ name: 'alpha.com', note: 'x'.repeat(20_000) }),
  });
  assert.equal(tooBig.status, 413);
  assert.equal(((await tooBig.json()) as { error: { code: string } }).error.code, 'payload_too_large');
});

test('the report upload keeps its own limit: 100 KB is read, not refused as a JSON body', async () => {
  const r = await fetch(`${t.http}/v1/reports/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${apiKey}` },
    body: Buffer.alloc(100 * 1024, 'x'),
  });
  assert.notEqual(r.status, 413);
});
