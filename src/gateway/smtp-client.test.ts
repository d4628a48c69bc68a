import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { SmtpClient } from './smtp-client.ts';

/**
 * The relay client against a scripted SMTP server on 127.0.0.1: pipelined transactions (RFC 2920), replies
 * matched to their commands, dot-stuffing (RFC 5321 §4.5.2), reply timeouts and lost connections.
 */

interface Received {
  readonly from: string;
  /** The MAIL FROM parameters (SIZE=, BODY=). */
  readonly params: string;
  readonly to: string[];
  readonly data: string;
}

interface Script {
  /** The reply to MAIL FROM for the n-th transaction (0-based); 250 by default. */
  mail?: (n: number) => string;
  /** The reply to the end of data of the n-th message; 250 by default. */
  end?: (n: number) => string;
  /**
   * Hold the reply to the end of data of the n-th message until the next transaction's DATA has arrived: only a
   * client that pipelines the next envelope behind the message gets an answer.
   */
  holdEndUntilNextData?: boolean;
  /** Say nothing at all after this many commands. */
  silentAfter?: number;
  /** Close the connection right after the end of data of the n-th message. */
  closeAfterMessage?: number;
}

async function scriptedServer(
  script: Script,
): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let data = '';
    let current: { from: string; params: string; to: string[] } | undefined;
    let transactions = 0;
    let commands = 0;
    let held: string | undefined;
    // Replies stay in order: while one is held, the ones after it wait with it.
    const reply = (text: string) => {
      if (held !== undefined) held += text;
      else socket.write(text);
    };
    socket.write('220 scripted ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line !== '.') {
            data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n';
            continue;
          }
          inData = false;
          const n = received.length;
          received.push({ from: current!.from, params: current!.params, to: current!.to, data });
          const end = (script.end?.(n) ?? '250 2.0.0 queued') + '\r\n';
          if (script.closeAfterMessage === n) {
            socket.end(end);
            return;
          }
          if (script.holdEndUntilNextData) held = (held ?? '') + end;
          else reply(end);
          continue;
        }
        commands++;
        if (script.silentAfter !== undefined && commands > script.silentAfter) continue;
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO')
          socket.write('250-scripted\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          const text = script.mail?.(transactions++) ?? '250 2.1.0 ok';
          current = text.startsWith('250')
            ? { from: /<([^>]*)>/.exec(line)![1]!, params: line.slice(line.indexOf('>') + 1).trim(), to: [] }
            : undefined;
          reply(text + '\r\n');
        } else if (verb === 'RCPT') {
          if (current === undefined) reply('503 5.5.1 no MAIL\r\n');
          else {
            current.to.push(/<([^>]*)>/.exec(line)![1]!);
            reply('250 2.1.5 ok\r\n');
          }
        } else if (verb === 'DATA') {
          if (current !== undefined) {
            inData = true;
            data = '';
          }
          if (held !== undefined) {
            socket.write(held);
            held = undefined;
          }
          reply(current === undefined ? '503 5.5.1 no valid recipients\r\n' : '354 go ahead\r\n');
        } else if (verb === 'RSET') {
          current = undefined;
          reply('250 2.0.0 reset\r\n');
        } else if (verb === 'QUIT') socket.end('221 2.0.0 bye\r\n');
        else reply('502 5.5.2 what\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, received };
}

function connect(port: number, commandTimeoutMs = 5_000): Promise<SmtpClient> {
  return SmtpClient.connect({
    host: '127.0.0.1',
    port,
    heloName: 'client.test',
    tls: 'none',
    connectTimeoutMs: 5_000,
    commandTimeoutMs,
  });
}

const msg = (n: number) => Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`, 'latin1');

test('pipelining: the next envelope goes out with the end of data; every reply lands on its transaction', async () => {
  // This server answers an end of data only once the next transaction's DATA is in: a client that waited for
  // the reply before sending the next envelope would wait forever (and time out).
  const { server, port, received } = await scriptedServer({
    holdEndUntilNextData: true,
    end: (n) => (n === 1 ? '451 4.3.0 try later' : `250 2.0.0 queued ${n}`),
  });
  const client = await connect(port, 3_000);
  try {
    assert.equal(client.pipelining, true);
    const envelopes = [0, 1, 2, 3].map((n) => ({
      from: `s${n}@a.test`,
      recipients: [`r${n}@b.test`],
      size: msg(n).length,
    }));
    const results = [];
    for (let n = 0; n < 3; n++) {
      results.push(await client.send(envelopes[n]!.from, envelopes[n]!.recipients, msg(n), envelopes[n + 1]));
    }
    assert.deepEqual(
      results.map((r) => [r.mail.code, r.recipients[0]!.code, r.data?.code, r.data?.lines[0]]),
      [
        [250, 250, 250, '2.0.0 queued 0'],
        [250, 250, 451, '4.3.0 try later'],
        [250, 250, 250, '2.0.0 queued 2'],
      ],
    );
    // The fourth envelope went ahead with the third message; it is still owed its transaction. A server that
    // holds replies cannot finish it here, so just check what arrived so far.
    assert.deepEqual(
      received.map((r) => [r.from, r.params, r.to, r.data]),
      [0, 1, 2].map((n) => [
        `s${n}@a.test`,
        `SIZE=${msg(n).length} BODY=8BITMIME`,
        [`r${n}@b.test`],
        msg(n).toString('latin1'),
      ]),
    );
  } finally {
    client.close();
    server.close();
  }
});

test('pipelining: a refused MAIL for the next transaction is its own outcome; the session goes on', async () => {
  const { server, port, received } = await scriptedServer({
    mail: (n) => (n === 1 ? '550 5.7.1 not from you' : '250 2.1.0 ok'),
  });
  const client = await connect(port);
  try {
    const a = await client.send('a@a.test', ['x@b.test'], msg(0), {
      from: 'b@a.test',
      recipients: ['y@b.test'],
    });
    assert.equal(a.data?.code, 250);
    const b = await client.send('b@a.test', ['y@b.test'], msg(1), {
      from: 'c@a.test',
      recipients: ['z@b.test'],
    });
    assert.equal(b.mail.code, 550);
    assert.equal(b.data, undefined, 'no end-of-data reply for a refused transaction');
    // The refused transaction sent no content, so the third envelope was not sent ahead: it goes out now.
    const c = await client.send('c@a.test', ['z@b.test'], msg(2));
    assert.equal(c.data?.code, 250);
    assert.deepEqual(
      received.map((r) => r.from),
      ['a@a.test', 'c@a.test'],
    );
    await client.quit();
  } finally {
    client.close();
    server.close();
  }
});

test('dot-stuffing: lines that start with a period arrive unchanged', async () => {
  const { server, port, received } = await scriptedServer({});
  const client = await connect(port);
  try {
    const text = '.starts with a dot\r\nmiddle\r\n..two dots\r\n.\r\nlast line without CRLF';
    const r = await client.send('a@a.test', ['x@b.test'], Buffer.from(text, 'latin1'));
    assert.equal(r.data?.code, 250);
    assert.equal(received[0]!.data, text + '\r\n');
    await client.quit();
  } finally {
    client.close();
    server.close();
  }
});

test('dot-stuffing across pieces: a period after a CRLF that straddles two pieces is stuffed too', async () => {
  const { server, port, received } = await scriptedServer({});
  const client = await connect(port);
  try {
    const text = 'Subject: x\r\n\r\n.a\r\nb\r\n.c\r\n';
    // Cut at every position: the message must arrive the same whichever way it is split.
    for (let cut = 0; cut <= text.length; cut++) {
      const whole = Buffer.from(text, 'latin1');
      const r = await client.send('a@a.test', ['x@b.test'], [whole.subarray(0, cut), whole.subarray(cut)]);
      assert.equal(r.data?.code, 250);
      assert.equal(received[cut]!.data, text, `cut at ${cut}`);
    }
    await client.quit();
  } finally {
    client.close();
    server.close();
  }
});

test('a streamed message: the body is read piece by piece as it is sent, and arrives as it was, dot-stuffing included', async () => {
  const { server, port, received } = await scriptedServer({});
  const client = await connect(port);
  try {
    const head = Buffer.from('Subject: x\r\n\r\n', 'latin1');
    const text = '.a\r\nb\r\n.c\r\n' + 'line of text\r\n'.repeat(50_000) + '.\r\n..\r\nend';
    const body = Buffer.from(text, 'latin1');
    // Pieces cut where a period, a CR or an LF falls at the edge, and read only when the client asks.
    const cuts = [0, 1, 3, 4, 5, 9, 10, 4096, 65_536, body.length - 7, body.length - 6, body.length - 3];
    let read = 0;
    async function* pieces() {
      let from = 0;
      for (const to of [...cuts, body.length]) {
        read++;
        yield body.subarray(from, to);
        from = to;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const r = await client.send('a@a.test', ['x@b.test'], {
      head,
      size: head.length + body.length,
      body: pieces,
    });
    assert.equal(r.data?.code, 250);
    // The server unstuffs; the client added the CRLF the message lacked before the end of data.
    assert.equal(received[0]!.data, 'Subject: x\r\n\r\n' + text + '\r\n');
    assert.equal(read, cuts.length + 1);
    await client.quit();
  } finally {
    client.close();
    server.close();
  }
});

test('a reply that does not come in time fails the connection with the stage named', async () => {
  const { server, port } = await scriptedServer({ silentAfter: 1 }); // answers EHLO only
  const client = await connect(port, 300);
  try {
    await assert.rejects(client.send('a@a.test', ['x@b.test'], msg(0)), /no reply to MAIL within 300 ms/);
    assert.equal(client.usable, false);
  } finally {
    client.close();
    server.close();
  }
});

test('a connection lost after the end of data fails the pipelined transaction behind it', async () => {
  const { server, port } = await scriptedServer({ closeAfterMessage: 0 });
  const client = await connect(port);
  try {
    const next = { from: 'b@a.test', recipients: ['y@b.test'] };
    const a = await client.send('a@a.test', ['x@b.test'], msg(0), next);
    assert.equal(a.data?.code, 250);
    await assert.rejects(client.send(next.from, next.recipients, msg(1)), /closed the connection/);
  } finally {
    client.close();
    server.close();
  }
});
