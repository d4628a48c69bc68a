import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { verifyWithDkimpy } from '../support/dkimpy.ts';
import { startHarness, type Harness } from './harness.ts';
import { session } from './raw-smtp.ts';

/**
 * DATA streams to the spool (data-receiver.ts): a message far larger than the memory a connection may use goes
 * through a real TLS session, is signed from the body hash computed while it streamed, is delivered from its spool
 * file, and verifies under dkimpy. Memory is measured in this process, where the node runs: Buffer memory
 * (`arrayBuffers`), which is where a message held in memory lives.
 */

const MiB = 1024 * 1024;

// The garbage collector on call, so a sample counts the Buffers still referenced, not those waiting to be collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Buffer memory in use right now: after a full collection. */
function liveBufferBytes(): number {
  gc();
  return process.memoryUsage().arrayBuffers;
}

/** One MiB of body lines, as the client means them (before dot-stuffing): WSP runs, periods, empty lines. */
function bodyBlock(n: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < MiB - 200; i++) {
    const line =
      i % 17 === 0
        ? `.a line that starts with a period ${n}-${i}`
        : i % 13 === 0
          ? ''
          : `line ${n}-${i}  with\ttabs   and trailing space \t`;
    lines.push(line);
    size += line.length + 2;
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

/** RFC 5321 §4.5.2: a period at the start of a line is doubled on the wire. */
function dotStuffed(block: Buffer): Buffer {
  return Buffer.from(block.toString('latin1').replace(/^\./gm, '..'), 'latin1');
}

function spoolFiles(h: Harness): string[] {
  return readdirSync(h.node.config.gateway.spool.dir).filter((name) => !name.startsWith('seg-'));
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a 64 MiB message streams to the spool in bounded memory, and the delivered copy verifies under dkimpy', async () => {
  const h = await startHarness({
    domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }],
    set: [`gateway.limits.maxMessageBytes=${80 * MiB}`],
  });
  try {
    const c = await session(h);
    assert.match(await c.command('MAIL FROM:<app@example.com>'), /^250 /);
    assert.match(await c.command('RCPT TO:<big@sink.test>'), /^250 /);
    assert.match(await c.command('DATA'), /^354 /);
    // Made before the measurement starts: the client's own buffers are not the gateway's.
    const blocks = [0, 1, 2, 3].map((n) => bodyBlock(n));
    const stuffed = blocks.map(dotStuffed);
    const baseline = liveBufferBytes();
    const header = 'From: App <app@example.com>\r\nTo: big@sink.test\r\nSubject: a large one\r\n\r\n';
    await c.send(Buffer.from(header, 'latin1'));
    const expected = createHash('sha256');
    for (let n = 0; n < 64; n++) {
      expected.update(blocks[n % 4]!);
      await c.send(stuffed[n % 4]!);
    }
    // Trailing empty lines and WSP: the body hash's end-of-body rule (RFC 6376 §3.4.4).
    const end = Buffer.from('last line\r\n\r\n \t\r\n\r\n', 'latin1');
    expected.update(end);
    await c.send(end);
    // Everything but the end of data is sent: what the gateway holds now, it holds for this message.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const growth = liveBufferBytes() - baseline;
    c.write('.\r\n');
    const reply = await c.reply(120_000);
    c.close();
    assert.match(reply, /^250 /);
    // Held in memory, the message was there whole (the chunks, then Buffer.concat): 64 MiB and more.
    assert.ok(
      growth < 8 * MiB,
      `Buffer memory grew by ${(growth / MiB).toFixed(1)} MiB before the end of data`,
    );
    assert.ok(!spoolFiles(h).some((name) => name.startsWith('tmp-')), 'no temporary file is left');

    const [received] = await h.sink.waitFor(1, 120_000);
    const split = received!.data.indexOf('\r\n\r\n');
    const body = received!.data.subarray(split + 4);
    assert.equal(
      createHash('sha256').update(body).digest('hex'),
      expected.digest('hex'),
      'the body arrives intact',
    );
    const verdicts = await verifyWithDkimpy(received!.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
    assert.deepEqual(
      verdicts.map((v) => [v.ok, v.domain, v.error]),
      [[true, 'example.com', null]],
    );
    // Once delivered, the message leaves the spool with its body file.
    await waitUntil('the body file is removed', () => spoolFiles(h).length === 0);
  } finally {
    await h.close();
  }
});

test('a streamed message that is refused, or whose connection drops in DATA, leaves no file behind', async () => {
  const h = await startHarness({ domains: [{ name: 'example.com', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const big = Buffer.from('line of text\r\n'.repeat(80_000), 'latin1'); // about 1.1 MB
    const c = await session(h);
    assert.match(await c.command('MAIL FROM:<app@example.com>'), /^250 /);
    assert.match(await c.command('RCPT TO:<r@sink.test>'), /^250 /);
    assert.match(await c.command('DATA'), /^354 /);
    await c.send(Buffer.from('From: app@example.com\r\nSubject: nul\r\n\r\n'));
    await c.send(big);
    await c.send(Buffer.from('a NUL \0 here\r\n'));
    await c.send(big);
    c.write('.\r\n');
    assert.match(await c.reply(30_000), /^554 5\.6\.0 Line 80004 contains a NUL byte/);

    // A header block that does not end within the limit (256 KiB) in a message that is streamed.
    assert.match(await c.command('MAIL FROM:<app@example.com>'), /^250 /);
    assert.match(await c.command('RCPT TO:<r@sink.test>'), /^250 /);
    assert.match(await c.command('DATA'), /^354 /);
    await c.send(Buffer.from(`From: app@example.com\r\n${'X-Filler: yes\r\n'.repeat(30_000)}\r\nbody\r\n`));
    c.write('.\r\n');
    assert.match(await c.reply(30_000), /^554 5\.6\.0 The header block is longer than 262144 bytes/);

    // A connection lost in the middle of a streamed message.
    assert.match(await c.command('MAIL FROM:<app@example.com>'), /^250 /);
    assert.match(await c.command('RCPT TO:<r@sink.test>'), /^250 /);
    assert.match(await c.command('DATA'), /^354 /);
    await c.send(Buffer.from('From: app@example.com\r\nSubject: dropped\r\n\r\n'));
    await c.send(big);
    await waitUntil('the message streams to a file', () => spoolFiles(h).some((n) => n.startsWith('tmp-')));
    c.close();
    await waitUntil('the temporary file is removed', () => spoolFiles(h).length === 0);
    assert.equal(h.sink.messages.length, 0);
  } finally {
    await h.close();
  }
});
