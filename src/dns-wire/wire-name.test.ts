import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorsBelow, isAtOrBelow, keyToName, nameKey, nameToWire, readName } from './wire-name.ts';

const cases: Array<{
  what: string;
  bytes: number[];
  at: number;
  expect: { name: string; end: number } | null;
}> = [
  { what: 'plain labels', bytes: [1, 0x61, 2, 0x62, 0x63, 0], at: 0, expect: { name: 'a.bc', end: 6 } },
  { what: 'the root', bytes: [0], at: 0, expect: { name: '', end: 1 } },
  {
    what: 'a backward pointer',
    bytes: [1, 0x61, 0, 1, 0x62, 0xc0, 0],
    at: 3,
    expect: { name: 'b.a', end: 7 },
  },
  { what: 'a pointer to itself (a loop)', bytes: [0xc0, 0], at: 0, expect: null },
  { what: 'a forward pointer', bytes: [0xc0, 2, 1, 0x61, 0], at: 0, expect: null },
  { what: 'two pointers chasing each other', bytes: [0xc0, 2, 0xc0, 0], at: 2, expect: null },
  { what: 'a pointer back into a later label', bytes: [1, 0x61, 0xc0, 0], at: 0, expect: null },
  { what: 'a label running past the end', bytes: [5, 0x61, 0x62], at: 0, expect: null },
  { what: 'no terminating zero', bytes: [1, 0x61], at: 0, expect: null },
  { what: 'a truncated pointer', bytes: [0xc0], at: 0, expect: null },
  { what: 'label type 01 (RFC 6891 §5)', bytes: [0x41, 0], at: 0, expect: null },
  { what: 'label type 10', bytes: [0x80, 0], at: 0, expect: null },
  {
    what: 'escapes dots and non-printables',
    bytes: [3, 0x61, 0x2e, 0x01, 0],
    at: 0,
    expect: { name: 'a\\.\\001', end: 5 },
  },
];

for (const c of cases) {
  test(`readName: ${c.what}`, () => {
    assert.deepEqual(readName(Buffer.from(c.bytes), c.at), c.expect);
  });
}

test('readName refuses names over 255 octets, also when built from pointers', () => {
  const label = [63, ...Array<number>(63).fill(0x61)];
  const long = Buffer.from([...label, ...label, ...label, ...label, 0]); // 257 octets
  assert.equal(readName(long, 0), null);
  // 3 labels, then a pointer back to a 4th copy: 4 * 64 + 1 > 255.
  const parts = Buffer.from([...label, 0, ...label, ...label, ...label, 0xc0, 0]);
  assert.equal(readName(parts, 65), null);
});

test('wire forms and keys', () => {
  assert.deepEqual([...nameToWire('ab.c')], [2, 0x61, 0x62, 1, 0x63, 0]);
  assert.equal(nameKey('AB.c'), '\u0002ab\u0001c\u0000');
  assert.equal(keyToName(nameKey('sd1.x.dkim.example.net')), 'sd1.x.dkim.example.net');
  assert.throws(() => nameToWire(`${'a'.repeat(64)}.example`));
  assert.throws(() => nameToWire(Array<string>(128).fill('a').join('.')));
});

test('ancestors and zone membership', () => {
  assert.deepEqual(ancestorsBelow('a.b.c.z.example', 'z.example'), ['b.c.z.example', 'c.z.example']);
  assert.deepEqual(ancestorsBelow('z.example', 'z.example'), []);
  assert.equal(isAtOrBelow('a.z.example', 'z.example'), true);
  assert.equal(isAtOrBelow('az.example', 'z.example'), false);
});
