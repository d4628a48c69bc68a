import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessages, queryPacket } from '../../test/support/dns-packets.ts';
import { APEX, sampleZone } from '../../test/support/dns-zone.ts';
import { decodeMessage } from './message-decoder.ts';
import type { Reply } from './responder.ts';
import { transferAcl } from './transfer-acl.ts';
import {
  locateTsig,
  parseTsigRecord,
  Rcode,
  RRType,
  signMessage,
  TsigError,
  type TsigKey,
  type TsigRecord,
  verifyMessage,
} from '../dns-wire/index.ts';

/** The responder with TSIG (RFC 8945 §5.2–5.3), driven without sockets and with a fixed clock. */
const NOW = 1_700_000_000;
const XFR: TsigKey = { name: 'xfr.example.net', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 1) };
const OTHER: TsigKey = { name: 'other.example.net', algorithm: 'hmac-sha512', secret: Buffer.alloc(64, 2) };
const STRANGER: TsigKey = { name: 'xfr.example.net', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 9) };
const KEYS = new Map([XFR, OTHER].map((k) => [k.name, k]));
const SECONDARY = '192.0.2.53';
const zone = sampleZone({
  tsigKeys: KEYS,
  now: () => NOW,
  allowTransfer: transferAcl([
    { address: SECONDARY, keyName: XFR.name },
    { address: '198.51.100.0/24', keyName: null },
  ]),
});

function signed(type: number, key: TsigKey, at = NOW): { packet: Buffer; mac: Buffer } {
  const s = signMessage(queryPacket({ name: APEX, type, flags: 0 }), { key, timeSigned: at });
  return { packet: s.message, mac: s.mac };
}

function answer(packet: Buffer, transport: 'udp' | 'tcp' = 'udp', client = SECONDARY): Reply {
  return zone.responder.answer(Buffer.from(packet), transport, client);
}

function one(reply: Reply): Buffer {
  assert.ok(Array.isArray(reply));
  return Buffer.concat(reply);
}

function tsigOf(message: Buffer): { record: TsigRecord; start: number } {
  const place = locateTsig(message);
  assert.equal(place.kind, 'at', 'the answer carries a TSIG record');
  if (place.kind !== 'at') throw new Error('unreachable');
  return { record: parseTsigRecord(message, place.start)!, start: place.start };
}

test('a signed SOA query gets a signed answer that verifies over the request MAC', () => {
  const { packet, mac } = signed(RRType.SOA, XFR);
  const out = one(answer(packet));
  assert.equal(decodeMessage(out)?.rcode, Rcode.NOERROR);
  assert.equal(decodeMessage(out)?.answer[0]?.type, RRType.SOA);
  const { start } = tsigOf(out);
  assert.equal(verifyMessage(out, start, { keys: KEYS, now: NOW, priorMac: mac }).ok, true);
});

const refusals: Array<[string, () => Buffer, number, boolean]> = [
  [
    'an unknown key: NOTAUTH, BADKEY, unsigned',
    () => signed(RRType.SOA, { ...OTHER, name: 'nobody.example' }).packet,
    TsigError.BADKEY,
    false,
  ],
  [
    'a wrong secret: NOTAUTH, BADSIG, unsigned',
    () => signed(RRType.SOA, STRANGER).packet,
    TsigError.BADSIG,
    false,
  ],
  [
    'a clock 10 minutes ahead: NOTAUTH, BADTIME, signed',
    () => signed(RRType.SOA, XFR, NOW + 600).packet,
    TsigError.BADTIME,
    true,
  ],
];
for (const [what, packet, error, isSigned] of refusals) {
  test(what, () => {
    const request = packet();
    const out = one(answer(request));
    assert.equal(decodeMessage(out)?.rcode, Rcode.NOTAUTH);
    const { record, start } = tsigOf(out);
    assert.equal(record.error, error);
    assert.equal(record.mac.length > 0, isSigned, 'signed exactly when §5.3.2 says');
    if (!isSigned) return;
    // §5.2.3: Time Signed echoes the request's, Other Data holds our time, and the MAC covers the request MAC.
    const requestTsig = tsigOf(request).record;
    assert.equal(record.timeSigned, NOW + 600);
    assert.equal(record.otherData.readUIntBE(0, 6), NOW);
    const verdict = verifyMessage(out, start, { keys: KEYS, now: NOW + 600, priorMac: requestTsig.mac });
    assert.equal(verdict.ok, true);
  });
}

test('TSIG not last is FORMERR, and so are two TSIG records', () => {
  const { packet } = signed(RRType.SOA, XFR);
  const place = locateTsig(packet);
  assert.equal(place.kind, 'at');
  if (place.kind !== 'at') return;
  const tsig = packet.subarray(place.start);
  const opt = Buffer.from([0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0]);
  const notLast = Buffer.concat([packet, opt]);
  notLast.writeUInt16BE(2, 10);
  assert.equal(decodeMessage(one(answer(notLast)))?.rcode, Rcode.FORMERR);
  const twice = Buffer.concat([packet, tsig]);
  twice.writeUInt16BE(2, 10);
  assert.equal(decodeMessage(one(answer(twice)))?.rcode, Rcode.FORMERR);
});

test('a keyed secondary: AXFR unsigned or signed with another key is REFUSED; with its key, every message is signed', async () => {
  const unsigned = queryPacket({ name: APEX, type: RRType.AXFR });
  assert.equal(decodeMessage(one(answer(unsigned, 'tcp')))?.rcode, Rcode.REFUSED);
  const other = signed(RRType.AXFR, OTHER);
  const refused = one(answer(other.packet, 'tcp'));
  assert.equal(decodeMessage(refused)?.rcode, Rcode.REFUSED);
  assert.equal(
    verifyMessage(refused, tsigOf(refused).start, { keys: KEYS, now: NOW, priorMac: other.mac }).ok,
    true,
  );

  const { packet, mac } = signed(RRType.AXFR, XFR);
  const reply = answer(packet, 'tcp');
  assert.ok(reply !== null && !Array.isArray(reply));
  const messages = await collectMessages(reply.transfer);
  assert.ok(messages.length >= 1);
  let prior = mac;
  messages.forEach((m, i) => {
    const verdict = verifyMessage(m, tsigOf(m).start, {
      keys: KEYS,
      now: NOW,
      priorMac: prior,
      timersOnly: i > 0,
    });
    assert.equal(verdict.ok, true, `message ${i}`);
    if (verdict.ok) prior = verdict.record.mac;
  });
});

test('a key-less secondary still transfers by address alone; a stranger is refused even with a valid key', async () => {
  const plain = answer(queryPacket({ name: APEX, type: RRType.AXFR }), 'tcp', '198.51.100.7');
  assert.ok(plain !== null && !Array.isArray(plain));
  const messages = await collectMessages(plain.transfer);
  assert.ok(messages.length >= 1);
  assert.equal(locateTsig(messages[0]!).kind, 'none', 'unsigned request, unsigned transfer');
  const stranger = one(answer(signed(RRType.AXFR, XFR).packet, 'tcp', '203.0.113.1'));
  assert.equal(decodeMessage(stranger)?.rcode, Rcode.REFUSED);
});

test('an unsigned SOA query from a keyed secondary is answered: the SOA is public data', () => {
  const out = one(answer(queryPacket({ name: APEX, type: RRType.SOA })));
  assert.equal(decodeMessage(out)?.rcode, Rcode.NOERROR);
  assert.equal(locateTsig(out).kind, 'none');
});

test('a signed IXFR over UDP gets the SOA alone, signed (RFC 1995 §2)', () => {
  const { packet, mac } = signed(RRType.IXFR, XFR);
  const out = one(answer(packet, 'udp'));
  assert.equal(decodeMessage(out)?.answer[0]?.type, RRType.SOA);
  assert.equal(verifyMessage(out, tsigOf(out).start, { keys: KEYS, now: NOW, priorMac: mac }).ok, true);
});
