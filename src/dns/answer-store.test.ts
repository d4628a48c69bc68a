import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArenaReader, Kind, hashBytes, type AnswerBytes, type ArenaBuffers } from './answer-store.ts';
import { ArenaWriter } from './answer-store-writer.ts';
import { nameKey } from '../dns-wire/index.ts';

const key = (name: string) => Buffer.from(nameKey(name), 'latin1');
const META = { owner: 1, below: 0, flags: 0 };

function answer(text: string, extra: Partial<AnswerBytes> = {}): AnswerBytes {
  return {
    rcode: 0,
    negative: false,
    answerCount: 1,
    authorityCount: 0,
    additionalCount: 2,
    requiredLength: 3,
    body: Buffer.from(text),
    ...extra,
  };
}

function lookup(reader: ArenaReader, name: string, type: number): string | null {
  const k = key(name);
  const entry = reader.find(k, k.length, hashBytes(k, k.length));
  if (entry === 0) return null;
  const a = reader.answerFor(entry, type, type === 255);
  return a === 0 ? 'NODATA' : reader.body(a, reader.bodyLength(a)).toString();
}

test('stores, finds, replaces and deletes names', () => {
  const w = new ArenaWriter();
  const txt = answer('txt-body');
  w.put(key('a.example'), { types: [16], answers: [txt], fallback: null, any: txt }, META);
  w.put(key('b.example'), { types: [], answers: [], fallback: null, any: null }, META);
  assert.equal(lookup(w.reader, 'a.example', 16), 'txt-body');
  const upper = Buffer.from('\u0001A\u0007EXAMPLE\u0000', 'latin1');
  assert.equal(
    w.reader.find(upper, upper.length, hashBytes(upper, upper.length)),
    0,
    'the caller folds keys',
  );
  assert.equal(lookup(w.reader, 'a.example', 1), 'NODATA');
  assert.equal(lookup(w.reader, 'a.example', 255), 'txt-body');
  assert.equal(lookup(w.reader, 'b.example', 16), 'NODATA', 'an empty non-terminal exists');
  assert.equal(lookup(w.reader, 'c.example', 16), null);
  const k = key('a.example');
  const a = w.reader.answerFor(w.reader.find(k, k.length, hashBytes(k, k.length)), 16, false);
  assert.deepEqual(
    [
      w.reader.rcode(a),
      w.reader.count(a, 0),
      w.reader.count(a, 1),
      w.reader.count(a, 2),
      w.reader.requiredLength(a),
    ],
    [0, 1, 0, 2, 3],
  );
  w.put(key('a.example'), { types: [16], answers: [answer('new')], fallback: null, any: null }, META);
  assert.equal(lookup(w.reader, 'a.example', 16), 'new');
  assert.equal(w.size, 2);
  w.delete(key('a.example'));
  assert.equal(lookup(w.reader, 'a.example', 16), null);
  assert.equal(lookup(w.reader, 'b.example', 1), 'NODATA', 'probing continues past a deleted slot');
  assert.equal(w.size, 1);
});

test('a fallback answers every type not listed (CNAME owners)', () => {
  const w = new ArenaWriter();
  const cname = answer('cname');
  const chain = answer('cname+nodata', { negative: true });
  w.put(key('www.example'), { types: [5], answers: [cname], fallback: chain, any: cname }, META);
  assert.equal(lookup(w.reader, 'www.example', 5), 'cname');
  assert.equal(lookup(w.reader, 'www.example', 16), 'cname+nodata');
  assert.equal(lookup(w.reader, 'www.example', 255), 'cname');
});

test('grows and compacts under many writes, and readers in other places follow the swap', () => {
  const w = new ArenaWriter(1 << 16, 1 << 4);
  let swapped: ArenaBuffers | undefined;
  w.onSwap = (b) => (swapped = b);
  const outside = new ArenaReader(w.buffers);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3000; i++) {
      w.put(
        key(`n${i}.example`),
        {
          types: [16],
          answers: [answer(`r${round}-${i}-${'x'.repeat(i % 50)}`)],
          fallback: null,
          any: null,
        },
        META,
      );
    }
    for (let i = 0; i < 3000; i += 3) w.delete(key(`n${i}.example`));
  }
  assert.ok(swapped !== undefined, 'the arena moved');
  outside.swap(swapped);
  for (let i = 0; i < 3000; i++) {
    const expected = i % 3 === 0 ? null : `r2-${i}-${'x'.repeat(i % 50)}`;
    assert.equal(lookup(outside, `n${i}.example`, 16), expected, `n${i}`);
  }
  assert.equal(w.size, 2000);
  const usage = w.usage;
  assert.ok(usage.live <= usage.used && usage.used <= usage.capacity);
  assert.ok(usage.slots >= 2 * w.size);
});

test('the SOA tail survives a move', () => {
  const w = new ArenaWriter(1 << 16, 1 << 4);
  w.setSoaTail(Buffer.from('soa-tail'));
  for (let i = 0; i < 500; i++)
    w.put(
      key(`n${i}.example`),
      {
        types: [1],
        answers: [answer('x'.repeat(200))],
        fallback: null,
        any: null,
      },
      META,
    );
  assert.equal(w.reader.soaTail().toString(), 'soa-tail');
});

test('entries of other kinds keep their payload; live entries are walked in the order written, across moves', () => {
  const w = new ArenaWriter(1 << 16, 1 << 4);
  const payload = Buffer.from('contributor bookkeeping');
  const bookkeeping = Buffer.from('\xffdomain:1', 'latin1');
  w.putPayload(bookkeeping, Kind.CONTRIBUTOR, payload);
  for (let i = 0; i < 400; i++) {
    w.put(
      key(`n${i}.example`),
      { types: [1], answers: [answer('x'.repeat(100))], fallback: null, any: null },
      META,
    );
  }
  w.put(key('n0.example'), { types: [1], answers: [answer('y')], fallback: null, any: null }, META);
  w.delete(key('n1.example'));
  const names = [...w.liveEntries(Kind.NAME)].map((e) =>
    Buffer.from(w.reader.data8.subarray(e + 24 + 8, e + 24 + 8 + w.reader.data8[e + 4]!)).toString('latin1'),
  );
  assert.equal(names.length, 399);
  assert.equal(names.at(-1), nameKey('n0.example'), 'a replaced name moves to the end');
  assert.equal(names[0], nameKey('n2.example'));
  assert.deepEqual(Buffer.from(w.payload(w.find(bookkeeping))), payload);
  assert.equal(w.liveEntries(Kind.CONTRIBUTOR).length, 1);
});

test('in-place bookkeeping is not part of what readers see, and survives a move', () => {
  const w = new ArenaWriter(1 << 16, 1 << 4);
  const k = key('a.example');
  const entry = w.put(
    k,
    { types: [1], answers: [answer('a')], fallback: null, any: null },
    { owner: 7, below: 2, flags: 0 },
  );
  w.setMeta(entry, 9, 3);
  const before = w.buffers;
  for (let i = 0; i < 500; i++) {
    w.put(
      key(`n${i}.example`),
      { types: [1], answers: [answer('x'.repeat(200))], fallback: null, any: null },
      META,
    );
  }
  const moved = w.find(k);
  assert.notEqual(w.buffers, before, 'the arena moved');
  assert.deepEqual([w.reader.data32[(moved >> 2) + 4], w.reader.data32[(moved >> 2) + 5]], [9, 3]);
  assert.equal(lookup(w.reader, 'a.example', 1), 'a');
});
