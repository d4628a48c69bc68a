import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ByteSource } from './byte-source.ts';
import { gunzip } from './inflate.ts';
import { Budget, DEFAULT_REPORT_LIMITS } from './limits.ts';
import { isRefusal } from './refusal.ts';

async function inflateAll(input: Buffer, step = input.length): Promise<{ text: string; notes: string[] }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < input.length; i += step) pieces.push(input.subarray(i, i + step));
  const notes: string[] = [];
  const out: Buffer[] = [];
  for await (const c of gunzip(new ByteSource(pieces), new Budget(DEFAULT_REPORT_LIMITS), notes)) out.push(c);
  return { text: Buffer.concat(out).toString(), notes };
}

const A = gzipSync('<feedback>first</feedback>');
const B = gzipSync(' second member');

test('gzip members, trailing garbage and zero padding (RFC 1952 §2.2), however the input is cut', async () => {
  for (const step of [1, 3, 17, 4096]) {
    assert.deepEqual(await inflateAll(Buffer.concat([A, B]), step), {
      text: '<feedback>first</feedback> second member',
      notes: [],
    });
    assert.deepEqual(await inflateAll(Buffer.concat([A, Buffer.from('\r\n')]), step), {
      text: '<feedback>first</feedback>',
      notes: ['bytes after the end of the gzip data were ignored'],
    });
    assert.deepEqual(await inflateAll(Buffer.concat([A, Buffer.alloc(5)]), step), {
      text: '<feedback>first</feedback>',
      notes: [],
    });
  }
});

test('a header with a file name and comment (FNAME, FCOMMENT) is read past', async () => {
  const named = Buffer.from(A);
  named[3] = 8 | 16;
  const withName = Buffer.concat([
    named.subarray(0, 10),
    Buffer.from('report.xml\0a comment\0'),
    named.subarray(10),
  ]);
  assert.equal((await inflateAll(withName, 5)).text, '<feedback>first</feedback>');
});

test('corrupt and truncated gzip are refused with their reason', async () => {
  const badCrc = Buffer.from(A);
  badCrc[badCrc.length - 8]! ^= 0xff;
  const cases: Array<[Buffer, string]> = [
    [A.subarray(0, A.length - 4), 'truncated'],
    [A.subarray(0, 15), 'truncated'],
    [badCrc, 'corrupt_archive'],
    [Buffer.concat([A.subarray(0, 10), Buffer.from('not deflate data at all')]), 'corrupt_archive'],
  ];
  for (const [input, reason] of cases) {
    await assert.rejects(inflateAll(input), (e: unknown) => isRefusal(e) && e.reason === reason, reason);
  }
});

test('a small gzip bomb is refused on the in-memory path too, without its expansion', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  assert.ok(bomb.length < 256 * 1024, 'small enough for the one-call path');
  await assert.rejects(inflateAll(bomb), (e: unknown) => isRefusal(e) && e.reason === 'compression_ratio');
});
