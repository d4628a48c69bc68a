import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryPacket } from '../../test/support/dns-packets.ts';
import { readQuery, Unreadable, type Query } from './query-reader.ts';
import { nameKey, RRType } from '../dns-wire/index.ts';

const base = queryPacket({ id: 7, name: 'Sd1.ABC.example.NET', type: RRType.TXT });

function read(packet: Buffer): Query | Unreadable {
  return readQuery(packet);
}

test('reads a query: folded key, question end, no EDNS', () => {
  const q = read(base);
  assert.ok(typeof q === 'object');
  const key = Buffer.from(q.key.subarray(0, q.qnameLength)).toString('latin1');
  assert.equal(key, nameKey('sd1.abc.example.net'));
  assert.equal(q.clientSerial, -1);
  assert.equal(q.questionEnd, base.length);
  assert.equal(q.qtype, RRType.TXT);
  assert.equal(q.edns, null);
});

test('reads EDNS: payload below 512 counts as 512 (RFC 6891 §6.2.5), version, DO', () => {
  const q = read(
    queryPacket({ name: 'a.example', type: 1, edns: { payloadSize: 100, version: 2, dnssecOk: true } }),
  );
  assert.ok(typeof q === 'object');
  assert.deepEqual(q.edns, { payloadSize: 512, version: 2, dnssecOk: true });
});

function mutate(f: (b: Buffer) => Buffer | void): Buffer {
  const b = Buffer.from(base);
  return f(b) ?? b;
}

const cases: Array<{ what: string; packet: Buffer; expect: Unreadable }> = [
  { what: 'shorter than a header', packet: base.subarray(0, 11), expect: Unreadable.DROP },
  { what: 'a response (QR=1)', packet: mutate((b) => void (b[2] = b[2]! | 0x80)), expect: Unreadable.DROP },
  { what: 'opcode UPDATE', packet: mutate((b) => void (b[2] = 5 << 3)), expect: Unreadable.NOTIMP },
  { what: 'no question', packet: mutate((b) => void b.writeUInt16BE(0, 4)), expect: Unreadable.FORMERR },
  { what: 'two questions', packet: mutate((b) => void b.writeUInt16BE(2, 4)), expect: Unreadable.FORMERR },
  { what: 'header only', packet: base.subarray(0, 12), expect: Unreadable.FORMERR },
  { what: 'name cut short', packet: base.subarray(0, 20), expect: Unreadable.FORMERR },
  { what: 'QTYPE cut short', packet: base.subarray(0, base.length - 3), expect: Unreadable.FORMERR },
  {
    what: 'trailing garbage',
    packet: Buffer.concat([base, Buffer.from([1, 2, 3])]),
    expect: Unreadable.FORMERR,
  },
  {
    what: 'a huge answer count',
    packet: mutate((b) => void b.writeUInt16BE(0xffff, 6)),
    expect: Unreadable.FORMERR,
  },
  {
    what: 'a huge additional count',
    packet: mutate((b) => void b.writeUInt16BE(0xffff, 10)),
    expect: Unreadable.FORMERR,
  },
  { what: 'a label length over 63', packet: mutate((b) => void (b[12] = 64)), expect: Unreadable.FORMERR },
  {
    what: 'a pointer loop in the question',
    packet: mutate((b) => {
      b[12] = 0xc0;
      b[13] = 12;
    }),
    expect: Unreadable.FORMERR,
  },
  {
    what: 'a name over 255 octets',
    packet: queryPacket({ name: Array<string>(5).fill('a'.repeat(63)).join('.'), type: 1 }),
    expect: Unreadable.FORMERR,
  },
  {
    what: 'an OPT whose options overrun its RDATA',
    packet: queryPacket({ name: 'a.example', type: 1, edns: { options: Buffer.from([0, 8, 0, 200]) } }),
    expect: Unreadable.FORMERR_EDNS,
  },
  {
    what: 'an answer record with a forward pointer',
    packet: (() => {
      const b = Buffer.concat([base, Buffer.from([0xc0, 0x40, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])]);
      b.writeUInt16BE(1, 6);
      return b;
    })(),
    expect: Unreadable.FORMERR,
  },
  {
    what: 'an answer record whose RDLENGTH overruns the packet',
    packet: (() => {
      const b = Buffer.concat([base, Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 0, 0xff, 0xff])]);
      b.writeUInt16BE(1, 6);
      return b;
    })(),
    expect: Unreadable.FORMERR,
  },
];

for (const c of cases) {
  test(`unreadable: ${c.what}`, () => {
    assert.equal(read(c.packet), c.expect);
  });
}

test('an answer section with a backward pointer is stepped over', () => {
  const b = Buffer.concat([base, Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1])]);
  b.writeUInt16BE(1, 8);
  const q = read(b);
  assert.ok(typeof q === 'object');
  assert.equal(q.questionEnd, base.length);
});

test('never throws on random bytes', () => {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20_000; i++) {
    const packet = Buffer.from(
      Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256)),
    );
    if (i % 2 === 0 && packet.length > 12) packet.writeUInt16BE(1, 4);
    const r = readQuery(packet);
    assert.ok(typeof r === 'number' || typeof r === 'object');
  }
});
