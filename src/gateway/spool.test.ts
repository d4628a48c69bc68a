import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool.ts';
import type { SpooledMeta } from './spool-records.ts';

/**
 * The spool on a real file system: what was acknowledged comes back after a reopen, the preallocated zeros and a
 * torn record are cut off, states are replayed, and segments rotate and go once nothing in them is live.
 */

function meta(id: string, recipients = 1): SpooledMeta {
  return {
    id,
    tenantId: 't1',
    domainId: null,
    acceptedAt: '2026-11-22T10:00:00.000Z',
    recipients: Array.from({ length: recipients }, (_, i) => ({
      address: `r${i}@sink.test`,
      envelopeFrom: `b-${id}-${i}@bounce.test`,
    })),
  };
}

const message = (n: number, size = 2000) =>
  Buffer.from(`Subject: ${n}\r\n\r\n${'x'.repeat(size)}\r\n`, 'latin1');
/** The message in two pieces, as the gateway hands it over (new header fields, then the rest). */
const pieces = (whole: Buffer) => [whole.subarray(0, 9), whole.subarray(9)];

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'senderd-spool-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'acknowledged messages and their states come back after a reopen; the zeros ahead are cut off',
  withDir(async (dir) => {
    const first = await Spool.open(dir, { segmentBytes: 64 * 1024 * 1024 });
    assert.equal(first.recovered.length, 0);
    const spool = first.spool;
    await Promise.all([1, 2, 3].map((n) => spool.accept(meta(`m${n}`, 2), pieces(message(n)))));
    // The segment runs ahead in zeros: far bigger than what was written.
    const [segment] = readdirSync(dir);
    assert.ok(statSync(join(dir, segment!)).size >= 1024 * 1024, 'preallocated');
    spool.recordState({ id: 'm1', recipient: 0, status: 'delivered', attempts: 1, nextAttemptAt: 0 });
    spool.recordState({ id: 'm2', recipient: 1, status: 'pending', attempts: 2, nextAttemptAt: 123 });
    assert.deepEqual(await spool.read('m2'), message(2));
    await spool.close();

    const again = await Spool.open(dir, { segmentBytes: 64 * 1024 * 1024 });
    const byId = new Map(again.recovered.map((r) => [r.meta.id, r]));
    assert.deepEqual([...byId.keys()].sort(), ['m1', 'm2', 'm3']);
    assert.deepEqual(byId.get('m1')!.states[0], { status: 'delivered', attempts: 1, nextAttemptAt: 0 });
    assert.deepEqual(byId.get('m2')!.states[1], { status: 'pending', attempts: 2, nextAttemptAt: 123 });
    assert.deepEqual(await again.spool.read('m3'), message(3));
    // The old segment was cut back to its records: no zeros left at its end.
    const old = readFileSync(join(dir, segment!));
    assert.notEqual(old[old.length - 1], 0);
    await again.spool.close();
  }),
);

test(
  'a torn record at the end is cut off; everything before it survives',
  withDir(async (dir) => {
    const { spool } = await Spool.open(dir, { segmentBytes: 64 * 1024 * 1024 });
    await spool.accept(meta('a'), pieces(message(1)));
    await spool.accept(meta('b'), [message(2)]);
    await spool.close();
    // A crash in the middle of the next write: a record header that promises more than follows, then zeros.
    const [segment] = readdirSync(dir);
    const path = join(dir, segment!);
    const data = readFileSync(path);
    let end = data.length;
    while (end > 0 && data[end - 1] === 0) end--;
    const torn = Buffer.alloc(64);
    torn.writeUInt32BE(5000, 0);
    torn[8] = 1;
    rmSync(path);
    appendFileSync(path, Buffer.concat([data.subarray(0, end), torn, Buffer.alloc(4096)]));

    const { spool: again, recovered } = await Spool.open(dir, { segmentBytes: 64 * 1024 * 1024 });
    assert.deepEqual(recovered.map((r) => r.meta.id).sort(), ['a', 'b']);
    assert.equal(statSync(path).size, end);
    await again.close();
  }),
);

test(
  'segments rotate by size, records never overlap the zero fill, and a segment goes once nothing in it is live',
  withDir(async (dir) => {
    // Small segments (3 MiB) and batches of about 1 MB: the zero fill runs ahead in several steps per segment, and
    // batches often reach past it.
    const { spool } = await Spool.open(dir, { segmentBytes: 3 * 1024 * 1024 });
    const ids: string[] = [];
    for (let round = 0; round < 8; round++) {
      const batch = Array.from({ length: 5 }, (_, i) => `r${round}-${i}`);
      ids.push(...batch);
      await Promise.all(
        batch.map((id, i) => spool.accept(meta(id), pieces(message(i, 100_000 + 50_000 * i)))),
      );
    }
    for (const [i, id] of ids.entries()) {
      const n = Number(id.split('-')[1]);
      assert.deepEqual(await spool.read(id), message(n, 100_000 + 50_000 * n), `message ${i} reads back`);
    }
    const segments = spool.stats().segments;
    assert.ok(segments >= 3, `rotated into ${segments} segments`);
    // As the gateway does: the delivered state first (that is what survives a restart), then release.
    for (const id of ids.slice(0, 20)) {
      spool.recordState({ id, recipient: 0, status: 'delivered', attempts: 1, nextAttemptAt: 0 });
      spool.release(id);
    }
    await spool.close();

    const { spool: again, recovered } = await Spool.open(dir, { segmentBytes: 3 * 1024 * 1024 });
    assert.deepEqual(recovered.map((r) => r.meta.id).sort(), ids.slice(20).sort());
    for (const r of recovered) {
      const n = Number(r.meta.id.split('-')[1]);
      assert.deepEqual(await again.read(r.meta.id), message(n, 100_000 + 50_000 * n));
    }
    assert.ok(again.stats().segments < segments + 1, 'segments with nothing live are gone');
    await again.close();
  }),
);

test(
  'the spool is private: folder 0700 and segments 0600, also when an older version left them open',
  withDir(async (dir) => {
    const path = join(dir, 'spool');
    mkdirSync(path, { mode: 0o755 });
    chmodSync(path, 0o755);
    writeFileSync(join(path, 'seg-0000000001.log'), '', { mode: 0o644 });
    chmodSync(join(path, 'seg-0000000001.log'), 0o644);
    const { spool } = await Spool.open(path, { segmentBytes: 64 * 1024 * 1024 });
    await spool.accept(meta('p1'), [message(1)]);
    await spool.close();
    assert.equal(statSync(path).mode & 0o777, 0o700);
    const segments = readdirSync(path);
    assert.ok(segments.length >= 1);
    for (const name of segments) assert.equal(statSync(join(path, name)).mode & 0o777, 0o600, name);
  }),
);

test(
  'a streamed body: its own file (0600) named by the record, kept by compaction, back after a reopen, removed on release',
  withDir(async (dir) => {
    let now = 1_000_000;
    const opened = await Spool.open(dir, { segmentBytes: 64 * 1024, now: () => now });
    const spool = opened.spool;
    const head = Buffer.from('Received: x\r\nSubject: big\r\n\r\n', 'latin1');
    const body = await spool.createBody();
    const parts = [
      Buffer.from('first part\r\n'),
      Buffer.from('.second\r\n'),
      Buffer.from('x'.repeat(100_000)),
    ];
    for (const part of parts) await body.write(part);
    const temporary = readdirSync(dir).filter((name) => name.startsWith('tmp-'));
    assert.equal(temporary.length, 1);
    assert.equal(statSync(join(dir, temporary[0]!)).mode & 0o777, 0o600);
    await spool.accept(meta('big1'), [head], body);
    assert.deepEqual(
      readdirSync(dir).filter((name) => !name.startsWith('seg-')),
      ['body-big1.eml'],
      'the temporary file took its message name',
    );
    const whole = Buffer.concat([head, ...parts]);
    assert.deepEqual(await spool.read('big1'), whole);
    const streamed = await spool.open('big1');
    assert.equal(streamed.size, whole.length);
    assert.deepEqual(streamed.head, head);
    const read: Buffer[] = [];
    for await (const piece of streamed.body!()) read.push(piece);
    assert.deepEqual(Buffer.concat(read), Buffer.concat(parts));

    // Compaction copies the record into a newer segment; the body file stays where it is, named again.
    for (let n = 1; n <= 3; n++) await spool.accept(meta(`filler${n}`), pieces(message(n, 40_000)));
    for (let n = 1; n <= 3; n++) {
      spool.recordState({
        id: `filler${n}`,
        recipient: 0,
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: 0,
      });
      spool.release(`filler${n}`);
    }
    now += 20 * 60_000;
    assert.equal(await spool.compact(10 * 60_000), 1);
    assert.deepEqual(await spool.read('big1'), whole);

    // A refused message: its file goes, and nothing else is left.
    const refused = await spool.createBody();
    await refused.write(Buffer.from('never accepted\r\n'));
    await refused.abort();
    await spool.close();

    // A crash after the body file was renamed but before its record was written: nothing names it.
    writeFileSync(join(dir, 'body-orphan1.eml'), 'x');
    writeFileSync(join(dir, 'tmp-0123abcd.part'), 'half a message');
    const again = await Spool.open(dir, { segmentBytes: 64 * 1024 * 1024, now: () => now });
    assert.deepEqual(
      again.recovered.map((r) => r.meta.id),
      ['big1'],
    );
    assert.deepEqual(
      readdirSync(dir).filter((name) => !name.startsWith('seg-')),
      ['body-big1.eml'],
    );
    assert.deepEqual(await again.spool.read('big1'), whole);
    again.spool.release('big1');
    await again.spool.close();
    assert.deepEqual(
      readdirSync(dir).filter((name) => !name.startsWith('seg-')),
      [],
    );
  }),
);
