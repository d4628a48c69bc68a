/**
 * The inbound listener alone, on 127.0.0.1 port 0, with in-memory sinks behind its ports, spoken to over a raw
 * socket: which sink each message reaches, the replies for refused recipients, mixing, RSET, limits, and a sink
 * that fails. The node-level tests (test/reports/intake.test.ts, test/integration/platform.test.ts) wire the real
 * capabilities behind the same ports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quietLogger } from '../../src/core/index.ts';
import type { InboundMessage } from '../../src/inbound/index.ts';
import { listenInboundSmtp } from '../../src/inbound/smtp-listener.ts';
import { RawSmtp } from '../gateway/raw-smtp.ts';

const REPORTS = 'reports.mail.example.net';
const TOKEN = `abcd2345@${REPORTS}`;
const BOUNCE = 'b-msg-0-mac@bounce.mail.example.net';

interface Delivered {
  readonly sink: string;
  readonly recipients: readonly string[];
  readonly text: string;
  readonly returnPath?: string;
}

async function read(source: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts).toString('latin1');
}

async function listener(options: { failReports?: boolean; maxMessageBytes?: number } = {}) {
  const delivered: Delivered[] = [];
  const take = async (sink: string, m: InboundMessage, returnPath?: string): Promise<void> => {
    const text = await read(m.source);
    delivered.push({ sink, recipients: m.recipients, text, ...(returnPath ? { returnPath } : {}) });
  };
  const smtp = await listenInboundSmtp(
    {
      host: '127.0.0.1',
      port: 0,
      hostname: 'mx.mail.example.net',
      reportsHost: REPORTS,
      maxMessageBytes: options.maxMessageBytes ?? 10_000,
      maxRecipients: 3,
      connections: { maxConnections: 10, maxConnectionsPerClient: 10 },
      socketTimeoutMs: 10_000,
      postmasterDomains: ['mx.mail.example.net'],
    },
    {
      reports: {
        accepts: (a) => Promise.resolve(a === TOKEN),
        async deliver(m) {
          await take('reports', m);
          if (options.failReports === true) throw new Error('the store is down');
          return { outcomes: [{ status: 'stored' }, { status: 'duplicate' }, { status: 'quarantined' }] };
        },
      },
      bounces: {
        accepts: (a) => Promise.resolve(/^b-msg-\d-mac@bounce\.mail\.example\.net$/.test(a)),
        deliver: (m) => take('bounces', m),
      },
      postmaster: { deliver: (m) => take('postmaster', m, m.returnPath) },
      log: quietLogger(),
    },
  );
  const open = async () => {
    const c = await RawSmtp.open(smtp.port);
    assert.match(await c.reply(), /^220 mx\.mail\.example\.net /);
    assert.match(await c.command('EHLO client.example'), /^250/);
    return c;
  };
  return { delivered, open, close: () => smtp.close() };
}

test('each message reaches the sink its recipients are for, with the reply that sink earns', async () => {
  const l = await listener();
  try {
    const c = await l.open();
    for (const [to, reply] of [
      [TOKEN, /^250 2\.0\.0 1 stored, 1 duplicate, 1 quarantined$/],
      [BOUNCE, /^250 2\.0\.0 Bounce accepted$/],
      ['Postmaster', /^250 2\.0\.0 Delivered to postmaster$/],
    ] as const) {
      assert.match(await c.command('MAIL FROM:<sender@receiver.example>'), /^250/);
      assert.match(await c.command(`RCPT TO:<${to}>`), /^250/);
      assert.match(await c.command('DATA'), /^354/);
      assert.match(await c.command(`Subject: to ${to}\r\n\r\nbody\r\n.`), reply);
    }
    c.close();
    assert.deepEqual(
      l.delivered.map((d) => [d.sink, d.recipients, d.text]),
      [
        ['reports', [TOKEN], `Subject: to ${TOKEN}\r\n\r\nbody\r\n`],
        ['bounces', [BOUNCE], `Subject: to ${BOUNCE}\r\n\r\nbody\r\n`],
        ['postmaster', ['Postmaster'], 'Subject: to Postmaster\r\n\r\nbody\r\n'],
      ],
    );
    assert.equal(l.delivered[2]?.returnPath, 'sender@receiver.example');
  } finally {
    await l.close();
  }
});

test('refused recipients: not ours, unknown at the reports host, mixed kinds, too many; RSET starts afresh', async () => {
  const l = await listener();
  try {
    const c = await l.open();
    assert.match(await c.command('MAIL FROM:<>'), /^250/);
    assert.match(await c.command('RCPT TO:<victim@gmail.com>'), /^550 5\.7\.1 Relaying denied/);
    assert.match(await c.command(`RCPT TO:<nosuchtoken@${REPORTS}>`), /^550 5\.1\.1 No such report address/);
    assert.match(await c.command(`RCPT TO:<${BOUNCE}>`), /^250/);
    assert.match(
      await c.command(`RCPT TO:<${TOKEN}>`),
      /^452 4\.5\.3 Send reports, bounces, feedback, unsubscribes and mail/,
    );
    assert.match(await c.command('RCPT TO:<postmaster@mx.mail.example.net>'), /^452 4\.5\.3 Send reports/);
    assert.match(await c.command(`RCPT TO:<${BOUNCE.replace('0', '1')}>`), /^250/);
    assert.match(await c.command(`RCPT TO:<${BOUNCE.replace('0', '2')}>`), /^250/);
    assert.match(
      await c.command(`RCPT TO:<${BOUNCE.replace('0', '3')}>`),
      /^452 4\.5\.3 Too many recipients/,
    );
    // After RSET the next transaction may be of another kind.
    assert.match(await c.command('RSET'), /^250/);
    assert.match(await c.command('MAIL FROM:<>'), /^250/);
    assert.match(await c.command(`RCPT TO:<${TOKEN}>`), /^250/);
    assert.match(await c.command('DATA'), /^354/);
    assert.match(await c.command('Subject: r\r\n\r\nx\r\n.'), /^250 2\.0\.0 1 stored/);
    c.close();
    assert.deepEqual(
      l.delivered.map((d) => d.sink),
      ['reports'],
    );
  } finally {
    await l.close();
  }
});

test('a failing sink gets 451 and a message over the size limit 552, and the session goes on', async () => {
  const l = await listener({ failReports: true, maxMessageBytes: 2048 });
  try {
    const c = await l.open();
    assert.match(await c.command('MAIL FROM:<>'), /^250/);
    assert.match(await c.command(`RCPT TO:<${TOKEN}>`), /^250/);
    assert.match(await c.command('DATA'), /^354/);
    assert.match(await c.command('Subject: r\r\n\r\nx\r\n.'), /^451 4\.3\.0 Temporary failure/);
    assert.match(await c.command('MAIL FROM:<>'), /^250/);
    assert.match(await c.command(`RCPT TO:<${BOUNCE}>`), /^250/);
    assert.match(await c.command('DATA'), /^354/);
    assert.match(
      await c.command(`Subject: big\r\n\r\n${'x'.repeat(100)}\r\n`.repeat(40) + '.'),
      /^552 5\.3\.4/,
    );
    assert.match(await c.command('QUIT'), /^221/);
    c.close();
  } finally {
    await l.close();
  }
});
