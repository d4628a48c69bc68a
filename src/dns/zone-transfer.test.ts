import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryPacket } from '../../test/support/dns-packets.ts';
import { APEX, sampleZone } from '../../test/support/dns-zone.ts';
import { decodeMessage } from './message-decoder.ts';
import { readQuery } from './query-reader.ts';
import { Flag, RRType } from './wire-codes.ts';
import { transferMessages } from './zone-transfer.ts';

test('AXFR: SOA first and last, every record once, question only in the first message (RFC 5936 §2.2)', () => {
  const { zone } = sampleZone();
  for (let i = 0; i < 400; i++) {
    zone.replace(`bulk:${i}`, [
      { name: `n${i}.bulk.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['x'.repeat(120)] } },
    ]);
  }
  const request = queryPacket({ id: 4242, name: APEX.toUpperCase(), type: RRType.AXFR, edns: {} });
  const query = readQuery(request);
  assert.ok(typeof query === 'object');
  const messages = transferMessages(request, query, zone, 16_384).map((m) => decodeMessage(m));
  assert.ok(messages.length > 1, 'split over several messages');
  const records = messages.flatMap((m) => {
    assert.ok(m !== null);
    assert.equal(m.id, 4242);
    assert.ok((m.flags & Flag.AA) !== 0 && (m.flags & Flag.QR) !== 0);
    assert.ok(m.edns !== null, 'OPT to an EDNS requester');
    return m.answer;
  });
  assert.equal(messages[0]!.question[0]?.name, APEX.toUpperCase());
  assert.ok(messages.slice(1).every((m) => m!.question.length === 0));
  assert.equal(records[0]!.type, RRType.SOA);
  assert.equal(records.at(-1)!.type, RRType.SOA);
  assert.equal(records.length, zone.records().length + 1);
  assert.ok(transferMessages(request, query, zone, 16_384).every((m) => m.length <= 16_384));
});
