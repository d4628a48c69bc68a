import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessages, queryPacket, type QueryOptions } from '../../test/support/dns-packets.ts';
import { APEX, sampleZone, TOKEN } from '../../test/support/dns-zone.ts';
import { decodeMessage, type DecodedMessage } from './message-decoder.ts';
import { Responder, type Reply, type Transport } from './responder.ts';
import { Flag, Opcode, RRClass, RRType, Rcode } from '../dns-wire/index.ts';

const zone = sampleZone();

function ask(packet: Buffer, transport: Transport = 'udp', z = zone): DecodedMessage {
  const reply: Reply = z.responder.answer(Buffer.from(packet), transport, '192.0.2.99');
  assert.ok(Array.isArray(reply), 'an answer');
  const message = decodeMessage(Buffer.concat(reply));
  assert.ok(message !== null, 'the answer decodes');
  return message;
}

const has = (m: DecodedMessage, flag: number) => (m.flags & flag) !== 0;

test('an answer echoes ID and question, sets QR and AA, copies RD and CD, clears RA', () => {
  const m = ask(
    queryPacket({ id: 0xbeef, name: `${TOKEN}.dmarc.${APEX}`, type: RRType.TXT, flags: Flag.RD | Flag.CD }),
  );
  assert.equal(m.id, 0xbeef);
  assert.ok(has(m, Flag.QR) && has(m, Flag.AA) && has(m, Flag.RD) && has(m, Flag.CD));
  assert.ok(!has(m, Flag.RA) && !has(m, Flag.TC));
  assert.equal(m.rcode, Rcode.NOERROR);
  assert.deepEqual(m.question, [{ name: `${TOKEN}.dmarc.${APEX}`, type: RRType.TXT, class: RRClass.IN }]);
  assert.equal(m.answer.length, 1);
});

test('the question keeps its case, and the answer owner with it (RFC 4343 §4)', () => {
  const qname = `${TOKEN.toUpperCase()}.DmArC.Mail.Example.NET`;
  const m = ask(queryPacket({ name: qname, type: RRType.TXT }));
  assert.equal(m.question[0]!.name, qname);
  assert.equal(m.answer[0]!.name, qname);
  assert.match(m.answer[0]!.data, /v=DMARC1/);
});

test('NXDOMAIN carries the SOA with the negative TTL (RFC 2308 §3)', () => {
  const m = ask(queryPacket({ name: `NoSuch.${APEX}`, type: RRType.A }));
  assert.equal(m.rcode, Rcode.NXDOMAIN);
  assert.ok(has(m, Flag.AA));
  assert.equal(m.answer.length, 0);
  assert.equal(m.authority.length, 1);
  assert.equal(m.authority[0]!.type, RRType.SOA);
  assert.equal(m.authority[0]!.ttl, 300);
  assert.equal(m.authority[0]!.name.toLowerCase(), APEX);
  assert.match(m.authority[0]!.data, new RegExp(`^ns1\\.${APEX}\\. hostmaster\\.${APEX}\\. 7 `));
});

test('NODATA: NOERROR, no answer, the SOA in authority; also at an empty non-terminal', () => {
  for (const [name, type] of [
    [`${TOKEN}.dmarc.${APEX}`, RRType.AAAA],
    [`${TOKEN}.dkim.${APEX}`, RRType.TXT],
    [`dkim.${APEX}`, RRType.A],
  ] as const) {
    const m = ask(queryPacket({ name, type }));
    assert.equal(m.rcode, Rcode.NOERROR, name);
    assert.equal(m.answer.length, 0);
    assert.equal(m.authority[0]?.type, RRType.SOA);
  }
});

test('outside the zone: REFUSED without AA; other classes too', () => {
  for (const packet of [
    queryPacket({ name: 'example.com', type: RRType.A }),
    queryPacket({ name: `x${APEX}`, type: RRType.A }),
    queryPacket({ name: 'net', type: RRType.NS }),
    queryPacket({ name: 'version.bind', type: RRType.TXT, class: RRClass.CH }),
    queryPacket({ name: APEX, type: RRType.SOA, class: RRClass.CH }),
  ]) {
    const m = ask(packet);
    assert.equal(m.rcode, Rcode.REFUSED);
    assert.ok(!has(m, Flag.AA));
    assert.equal(m.question.length, 1);
  }
});

test('an MX answer brings the exchange address; ANY gets a single RRset (RFC 8482)', () => {
  const mx = ask(queryPacket({ name: `${TOKEN}.bounce.${APEX}`, type: RRType.MX }));
  assert.deepEqual(
    mx.answer.map((r) => r.data),
    [`10 mx.${APEX}.`],
  );
  assert.deepEqual(
    mx.additional.map((r) => `${r.name} ${r.data}`),
    [`mx.${APEX} 192.0.2.25`],
  );
  const any = ask(queryPacket({ name: `${TOKEN}.bounce.${APEX}`, type: RRType.ANY }));
  assert.equal(new Set(any.answer.map((r) => r.type)).size, 1);
});

test('a CNAME chain inside the zone, and a CNAME to a missing name (RFC 6604)', () => {
  const www = ask(queryPacket({ name: `www.${APEX}`, type: RRType.A }));
  assert.deepEqual(
    www.answer.map((r) => r.type),
    [RRType.CNAME, RRType.A],
  );
  const wwwTxt = ask(queryPacket({ name: `www.${APEX}`, type: RRType.TXT }));
  assert.deepEqual(
    wwwTxt.answer.map((r) => r.type),
    [RRType.CNAME],
  );
  assert.equal(wwwTxt.authority[0]?.type, RRType.SOA, 'NODATA at the end of the chain');
  const gone = ask(queryPacket({ name: `gone.${APEX}`, type: RRType.TXT }));
  assert.equal(gone.rcode, Rcode.NXDOMAIN);
  assert.deepEqual(
    gone.answer.map((r) => r.type),
    [RRType.CNAME],
  );
});

test('EDNS: OPT echoed with our payload size, DO copied (RFC 3225), BADVERS for version 1', () => {
  const plain = ask(queryPacket({ name: APEX, type: RRType.SOA }));
  assert.equal(plain.edns, null, 'no OPT without EDNS in the query');
  const e = ask(queryPacket({ name: APEX, type: RRType.SOA, edns: { payloadSize: 4096, dnssecOk: true } }));
  assert.deepEqual(e.edns, { payloadSize: 1232, version: 0, dnssecOk: true });
  const bad = ask(queryPacket({ name: APEX, type: RRType.SOA, edns: { version: 1 } }));
  assert.equal(bad.rcode, Rcode.BADVERS);
  assert.equal(bad.edns?.version, 0);
  assert.equal(bad.answer.length, 0);
});

/** A zone with a 610-octet TXT record at big.<zone>, answering with this EDNS size of ours. */
function zoneWithBigTxt(ednsPayloadSize: number) {
  const z = sampleZone({ ednsPayloadSize });
  z.zone.replace('domain:9', [
    {
      name: `big.${APEX}`,
      ttl: 60,
      data: { type: 'TXT', strings: ['a'.repeat(255), 'b'.repeat(255), 'c'.repeat(100)] },
    },
  ]);
  return z;
}

test('an answer that does not fit sets TC=1 and carries no records; it fits over TCP or with EDNS', () => {
  const dkim = ask(queryPacket({ name: `sd1.${TOKEN}.dkim.${APEX}`, type: RRType.TXT }));
  assert.equal(dkim.answer.length, 1, 'a 2048-bit key fits in 512 octets');
  const big = (edns: QueryOptions['edns']) => queryPacket({ name: `big.${APEX}`, type: RRType.TXT, edns });
  // Our limit of 512 wins over the client's 4096.
  const tiny = zoneWithBigTxt(512);
  const truncated = ask(big({ payloadSize: 4096 }), 'udp', tiny);
  assert.ok(has(truncated, Flag.TC));
  assert.equal(truncated.answer.length, 0);
  assert.ok(truncated.edns !== null, 'the OPT stays');
  const viaTcp = ask(big(null), 'tcp', tiny);
  assert.ok(!has(viaTcp, Flag.TC));
  assert.equal(viaTcp.answer.length, 1);
  const roomy = zoneWithBigTxt(1232);
  assert.ok(has(ask(big(null), 'udp', roomy), Flag.TC), 'without EDNS the limit is 512 (RFC 1035 §4.2.1)');
  assert.ok(!has(ask(big({ payloadSize: 1232 }), 'udp', roomy), Flag.TC));
});

test('the additional section is dropped before TC is set (RFC 2181 §9)', () => {
  const z = sampleZone();
  const hosts = Array.from({ length: 12 }, (_, i) => `host${i}.${APEX}`);
  z.zone.replace('extra', [
    ...hosts.map((h, i) => ({
      name: `many.${APEX}`,
      ttl: 60,
      data: { type: 'MX' as const, preference: i, exchange: h },
    })),
    ...hosts.flatMap((h) => [
      { name: h, ttl: 60, data: { type: 'AAAA' as const, address: '2001:db8::1' } },
      { name: h, ttl: 60, data: { type: 'AAAA' as const, address: '2001:db8::2' } },
    ]),
  ]);
  const tcp = ask(queryPacket({ name: `many.${APEX}`, type: RRType.MX }), 'tcp', z);
  assert.equal(tcp.additional.length, 24);
  const udp = ask(queryPacket({ name: `many.${APEX}`, type: RRType.MX }), 'udp', z);
  assert.ok(!has(udp, Flag.TC));
  assert.equal(udp.answer.length, 12);
  assert.equal(udp.additional.length, 0);
});

test('undecodable queries get FORMERR; responses and runts get nothing', () => {
  const good = queryPacket({ name: APEX, type: RRType.SOA });
  const formerr = (packet: Buffer) => {
    const m = ask(packet);
    assert.equal(m.rcode, Rcode.FORMERR);
    assert.equal(m.question.length, 0);
    assert.ok(!has(m, Flag.AA));
  };
  formerr(good.subarray(0, good.length - 2)); // truncated question
  const two = Buffer.from(good);
  two.writeUInt16BE(2, 4); // QDCOUNT 2 with one question
  formerr(two);
  const trailing = Buffer.concat([good, Buffer.from([0])]);
  formerr(trailing);
  const pointer = Buffer.from(good);
  pointer[12] = 0xc0; // a compression pointer in the question
  pointer[13] = 0x0c;
  formerr(pointer);
  const silent = (packet: Buffer) => assert.equal(zone.responder.answer(packet, 'udp', '192.0.2.1'), null);
  silent(Buffer.alloc(11));
  const response = Buffer.from(good);
  response[2] = response[2]! | 0x80;
  silent(response);
});

test('a broken OPT record gets FORMERR with an OPT (RFC 6891 §7)', () => {
  const badOptions = queryPacket({
    name: APEX,
    type: RRType.SOA,
    edns: { options: Buffer.from([0, 10, 0, 9, 1]) },
  });
  const m = ask(badOptions);
  assert.equal(m.rcode, Rcode.FORMERR);
  assert.ok(m.edns !== null);
  const good = queryPacket({ name: APEX, type: RRType.SOA, edns: {} });
  const twoOpts = Buffer.concat([good, good.subarray(good.length - 11)]);
  twoOpts.writeUInt16BE(2, 10);
  assert.equal(ask(twoOpts).rcode, Rcode.FORMERR);
});

test('opcodes other than QUERY get NOTIMP, with an OPT when asked with one', () => {
  for (const opcode of [Opcode.IQUERY, Opcode.STATUS, 3, Opcode.NOTIFY, Opcode.UPDATE, 15]) {
    const m = ask(queryPacket({ name: APEX, type: RRType.SOA, flags: opcode << 11 }));
    assert.equal(m.rcode, Rcode.NOTIMP, `opcode ${opcode}`);
    assert.equal(m.opcode, opcode);
    assert.equal(m.edns, null);
  }
  const withEdns = ask(queryPacket({ name: APEX, type: RRType.SOA, flags: Opcode.UPDATE << 11, edns: {} }));
  assert.equal(withEdns.rcode, Rcode.NOTIMP);
  assert.ok(withEdns.edns !== null);
});

test('zone transfers: refused to strangers and over UDP; TCP from a secondary is a transfer', async () => {
  assert.equal(ask(queryPacket({ name: APEX, type: RRType.AXFR }), 'tcp').rcode, Rcode.REFUSED);
  const secondary = sampleZone({ allowTransfer: true });
  assert.equal(ask(queryPacket({ name: APEX, type: RRType.AXFR }), 'udp', secondary).rcode, Rcode.REFUSED);
  const ixfr = ask(queryPacket({ name: APEX, type: RRType.IXFR }), 'udp', secondary);
  assert.deepEqual(
    ixfr.answer.map((r) => r.type),
    [RRType.SOA],
    'RFC 1995 §2: the SOA alone over UDP',
  );
  assert.equal(
    ask(queryPacket({ name: `x.${APEX}`, type: RRType.AXFR }), 'tcp', secondary).rcode,
    Rcode.REFUSED,
  );
  const transfer = secondary.responder.answer(
    queryPacket({ name: APEX, type: RRType.AXFR }),
    'tcp',
    '192.0.2.2',
  );
  assert.ok(transfer !== null && !Array.isArray(transfer));
  const messages = await collectMessages(transfer.transfer);
  const first = decodeMessage(messages[0]!);
  assert.equal(first?.answer[0]?.type, RRType.SOA);
  const last = decodeMessage(messages.at(-1)!);
  assert.equal(last?.answer.at(-1)?.type, RRType.SOA);
});

test('an exception while answering becomes SERVFAIL, reported once', () => {
  const z = sampleZone();
  const reader = z.zone.arena.reader;
  const original = reader.find.bind(reader);
  reader.find = () => {
    throw new Error('disk on fire');
  };
  try {
    const reply = z.responder.answer(queryPacket({ name: APEX, type: RRType.SOA }), 'udp', '192.0.2.1');
    assert.ok(Array.isArray(reply));
    const m = decodeMessage(Buffer.concat(reply))!;
    assert.equal(m.rcode, Rcode.SERVFAIL);
    assert.equal(m.question[0]?.name, APEX);
    assert.equal(z.errors.length, 1);
  } finally {
    reader.find = original;
  }
});

test('an exception while building a transfer becomes SERVFAIL too', () => {
  const z = sampleZone({ allowTransfer: true });
  const broken = new Responder({
    answers: z.zone.arena.reader,
    apexKey: z.zone.apexWire,
    ednsPayloadSize: 1232,
    allowTransfer: () => true,
    tsigKeys: new Map(),
    now: () => 0,
    transferMessages: () => {
      throw new Error('zone unreadable');
    },
    onError: (e) => z.errors.push(e),
  });
  const reply = broken.answer(queryPacket({ name: APEX, type: RRType.AXFR }), 'tcp', '192.0.2.1');
  assert.ok(Array.isArray(reply));
  assert.equal(decodeMessage(Buffer.concat(reply))?.rcode, Rcode.SERVFAIL);
  assert.equal(z.errors.length, 1);
});

test('rate-limit slip: a TC=1 answer with the question and no records', () => {
  const reply = zone.responder.slip(queryPacket({ name: APEX, type: RRType.SOA }));
  assert.ok(Array.isArray(reply));
  const m = decodeMessage(Buffer.concat(reply))!;
  assert.ok(has(m, Flag.TC));
  assert.equal(m.answer.length, 0);
  assert.equal(m.question.length, 1);
});
