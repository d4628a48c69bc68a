import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MboxSplitter } from './mbox.ts';

function split(mbox: string | Buffer, step: number): string[] {
  const bytes = Buffer.isBuffer(mbox) ? mbox : Buffer.from(mbox, 'latin1');
  const splitter = new MboxSplitter();
  const messages: Buffer[][] = [];
  const take = (events: ReturnType<MboxSplitter['write']>) => {
    for (const e of events) {
      if (e.type === 'message') {
        assert.equal(e.index, messages.length + 1);
        messages.push([]);
      } else messages.at(-1)!.push(Buffer.from(e.data));
    }
  };
  for (let i = 0; i < bytes.length; i += step) take(splitter.write(bytes.subarray(i, i + step)));
  take(splitter.end());
  return messages.map((m) => Buffer.concat(m).toString('latin1'));
}

const MBOX = [
  'preamble that belongs to no message',
  'From reporter@example.net Sat Nov 21 10:00:00 2026',
  'Subject: one',
  '',
  '>From the start of a line, escaped',
  '>>From twice escaped',
  'not From at the start',
  'From other@example.org Sat Nov 21 11:00:00 2026',
  'Subject: two',
  '',
  'last line without a line feed',
].join('\n');

test('RFC 4155: "From " lines start messages; ">From " is unescaped once; the split is the same however cut', () => {
  const whole = split(MBOX, 1 << 20);
  assert.deepEqual(whole, [
    'Subject: one\n\nFrom the start of a line, escaped\n>From twice escaped\nnot From at the start\n',
    'Subject: two\n\nlast line without a line feed',
  ]);
  for (const step of [1, 2, 5, 13, 100]) assert.deepEqual(split(MBOX, step), whole, `pieces of ${step}`);
});

test('a line longer than the line limit passes through in pieces; "From " in a later piece starts nothing', () => {
  const splitter = new MboxSplitter();
  const events = [
    ...splitter.write(Buffer.from('From a@example.net Sat Nov 21 10:00:00 2026\n')),
    ...splitter.write(Buffer.from('x'.repeat(70 * 1024))),
    ...splitter.write(
      Buffer.from('From the middle of the long line\nFrom b@example.net Sat Nov 21 10:00:00 2026\n'),
    ),
    ...splitter.end(),
  ];
  assert.deepEqual(
    events.map((e) => (e.type === 'message' ? `message ${e.index}` : `${e.data.length} bytes`)),
    ['message 1', `${70 * 1024} bytes`, `${'From the middle of the long line\n'.length} bytes`, 'message 2'],
  );
  assert.deepEqual(split('no separator at all\n', 3), []);
});
