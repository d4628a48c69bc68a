import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { DeliveryQueue, type AttemptReport } from './delivery-queue.ts';
import { SmtpClient, SmtpConnectionError } from './smtp-client.ts';
import { selfSignedCertificate } from './tls-certificate.ts';

/**
 * RFC 3207 §4.2: after STARTTLS the client must forget everything the server said in plain text. A server (or a
 * man in the middle) that sends more behind its 220 must not have those bytes read as replies inside TLS.
 */

const pair = selfSignedCertificate('mx.test', new Date());

/** A real SMTP server over TCP with real TLS after STARTTLS; `afterReady` is sent right behind its 220. */
async function starttlsServer(afterReady: string) {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((plain: Socket) => {
    sockets.add(plain);
    seen.push('connection');
    plain.write('220 mx.test ESMTP\r\n');
    let buffer = '';
    const onPlain = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        seen.push(`plain ${line}`);
        if (/^EHLO/i.test(line)) plain.write('250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS/i.test(line)) {
          plain.removeListener('data', onPlain);
          plain.write(`220 2.0.0 go ahead\r\n${afterReady}`);
          serveTls(new TLSSocket(plain, { isServer: true, key: pair.key, cert: pair.cert }), seen);
          return;
        }
      }
    };
    plain.on('data', onPlain);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      // A client that wrongly stays connected must not keep the server (and the test) open.
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { port, seen, close };
}

function serveTls(tls: TLSSocket, seen: string[]): void {
  let buffer = '';
  let inData = false;
  tls.on('error', () => undefined);
  tls.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      seen.push(`tls ${line}`);
      if (inData) {
        if (line === '.') {
          inData = false;
          tls.write('250 2.0.0 queued inside TLS\r\n');
        }
      } else if (/^EHLO/i.test(line)) tls.write('250-mx.test\r\n250 SIZE 1000\r\n');
      else if (/^MAIL/i.test(line)) tls.write('550 5.7.1 sender refused\r\n');
      else if (/^RSET/i.test(line)) tls.write('250 2.0.0 ok\r\n');
      else if (/^QUIT/i.test(line)) tls.end('221 2.0.0 bye\r\n');
    }
  });
}

const options = (port: number) =>
  ({
    host: '127.0.0.1',
    port,
    heloName: 'gw.test',
    tls: 'opportunistic',
    connectTimeoutMs: 5_000,
    commandTimeoutMs: 5_000,
  }) as const;

test('STARTTLS: replies injected behind the 220 fail the connection instead of answering inside TLS', async () => {
  for (const [what, injected] of [
    ['a whole reply', '250 2.0.0 injected\r\n'],
    ['a multi-line reply begun', '250-injected\r\n'],
    ['a partial line', '250 inj'],
  ] as const) {
    const server = await starttlsServer(injected);
    try {
      await assert.rejects(
        SmtpClient.connect(options(server.port)),
        (error: unknown) =>
          error instanceof SmtpConnectionError &&
          error.stage === 'STARTTLS reply' &&
          /sent more after its 220 to STARTTLS \(RFC 3207 section 4\.2\)/.test(error.message),
        what,
      );
      assert.ok(!server.seen.some((l) => l.startsWith('tls ')), `${what}: no command was sent inside TLS`);
    } finally {
      await server.close();
    }
  }
});

test('STARTTLS: a clean 220 upgrades, and every reply after it comes from inside TLS', async () => {
  const server = await starttlsServer('');
  try {
    const client = await SmtpClient.connect(options(server.port));
    assert.equal(client.secure, true);
    assert.equal(client.pipelining, false, 'the extensions are those of the EHLO inside TLS');
    const result = await client.send('b@x.test', ['r@y.test'], Buffer.from('Subject: x\r\n\r\nhi\r\n'));
    assert.equal(result.mail.code, 550, 'the MAIL reply comes from the server inside TLS');
    await client.quit();
    assert.deepEqual(
      server.seen.filter((l) => l.startsWith('tls ')).map((l) => l.slice(4, 8)),
      ['EHLO', 'MAIL', 'QUIT'],
    );
  } finally {
    await server.close();
  }
});

test('STARTTLS injection in MX delivery: deferred (451), with no fallback to plain text on that host', async () => {
  const server = await starttlsServer('250 2.0.0 injected\r\n');
  const reports: AttemptReport[] = [];
  let reported: () => void = () => undefined;
  const queue = new DeliveryQueue({
    target: {
      mode: 'mx',
      port: server.port,
      allowPrivate: true,
      resolver: {
        resolveMx: () =>
          Promise.resolve({ kind: 'answer', records: [{ exchange: 'mx.test', preference: 10 }] }),
        resolveAddresses: () => Promise.resolve({ kind: 'answer', records: ['127.0.0.1'] }),
      },
    },
    heloName: 'gw.test',
    concurrency: 1,
    retry: { firstDelayMs: 3_600_000, factor: 2, maxDelayMs: 3_600_000, expireAfterMs: 86_400_000 },
    connectTimeoutMs: 5_000,
    commandTimeoutMs: 5_000,
    idleMs: 100,
    load: () => Promise.resolve([Buffer.from('Subject: x\r\n\r\nhi\r\n')]),
    report: (attempt) => {
      reports.push(attempt);
      reported();
    },
  });
  try {
    const done = new Promise<void>((resolve) => (reported = resolve));
    queue.enqueue({
      messageId: 'm1',
      recipient: 0,
      address: 'r@dest.test',
      envelopeFrom: 'b@bounce.test',
      acceptedAt: Date.now(),
      attempts: 0,
    });
    await done;
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.status, 'deferred');
    assert.equal(reports[0]!.code, 451);
    assert.match(reports[0]!.reply, /^4\.4\.1 the server sent more after its 220 to STARTTLS/);
    assert.deepEqual(
      server.seen.filter((l) => l === 'connection' || l.startsWith('plain MAIL')),
      ['connection'],
      'one connection, and no MAIL in plain text',
    );
  } finally {
    await queue.stop();
    await server.close();
  }
});
