import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessages, queryPacket } from '../../test/support/dns-packets.ts';
import { APEX, sampleSettings, sampleZone, TOKEN } from '../../test/support/dns-zone.ts';
import { decodeMessage, type DecodedRecord } from './message-decoder.ts';
import { readQuery } from './query-reader.ts';
import { Flag, RRType } from '../dns-wire/index.ts';
import { toWireRecord } from './wire-record.ts';
import { soaRecord } from './zone-builder.ts';
import type { JournalEntry } from './zone-journal.ts';
import { transferMessages, type TransferSource } from './zone-transfer.ts';
import type { Zone } from './zone.ts';

/** The messages of a transfer for this request, decoded. */
async function transfer(zone: Zone, packet: Buffer, difference: TransferSource['difference'], max = 16_384) {
  const query = readQuery(packet);
  assert.ok(typeof query === 'object');
  const raw = await collectMessages(transferMessages(packet, query, { zone, difference }, max));
  assert.ok(raw.every((m) => m.length <= max));
  return raw.map((m) => {
    const decoded = decodeMessage(m);
    assert.ok(decoded !== null);
    return decoded;
  });
}

const none = () => Promise.resolve(null);
const records = (messages: Awaited<ReturnType<typeof transfer>>): DecodedRecord[] =>
  messages.flatMap((m) => m.answer);
const serialOf = (r: DecodedRecord | undefined) => Number(r?.data.split(' ')[2]);

test('AXFR: SOA first and last, every record once, question only in the first message (RFC 5936 §2.2)', async () => {
  const { zone } = sampleZone();
  for (let i = 0; i < 400; i++) {
    zone.replace(`bulk:${i}`, [
      { name: `n${i}.bulk.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['x'.repeat(120)] } },
    ]);
  }
  const request = queryPacket({ id: 4242, name: APEX.toUpperCase(), type: RRType.AXFR, edns: {} });
  const messages = await transfer(zone, request, none);
  assert.ok(messages.length > 1, 'split over several messages');
  for (const m of messages) {
    assert.equal(m.id, 4242);
    assert.ok((m.flags & Flag.AA) !== 0 && (m.flags & Flag.QR) !== 0);
    assert.ok(m.edns !== null, 'OPT to an EDNS requester');
  }
  assert.equal(messages[0]!.question[0]?.name, APEX.toUpperCase());
  assert.ok(messages.slice(1).every((m) => m.question.length === 0));
  const all = records(messages);
  assert.equal(all[0]!.type, RRType.SOA);
  assert.equal(all.at(-1)!.type, RRType.SOA);
  assert.equal(all.length, zone.records().length + 1);
  const identities = all.slice(1, -1).map((r) => `${r.name} ${r.type} ${r.data}`);
  assert.equal(new Set(identities).size, identities.length, 'no record twice');
});

test('AXFR sends the version it was asked at, however the zone changes while it is sent', async () => {
  const { zone } = sampleZone();
  for (let i = 0; i < 300; i++) {
    zone.replace(`bulk:${i}`, [
      { name: `n${i}.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['y'.repeat(200)] } },
    ]);
  }
  const request = queryPacket({ name: APEX, type: RRType.AXFR });
  const query = readQuery(request);
  assert.ok(typeof query === 'object');
  const stream = transferMessages(request, query, { zone, difference: none }, 2048)[Symbol.asyncIterator]();
  const first = await stream.next();
  // Between messages: every name rewritten, some removed, new ones added, the serial raised.
  for (let i = 0; i < 300; i++)
    zone.replace(
      `bulk:${i}`,
      i % 2 === 0 ? [] : [{ name: `m${i}.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['z'] } }],
    );
  zone.setSoa(soaRecord(sampleSettings(), 8));
  const rest: Buffer[] = [];
  for (let r = await stream.next(); r.done !== true; r = await stream.next()) rest.push(r.value);
  const all = [first.value as Buffer, ...rest].flatMap((m) => decodeMessage(m)!.answer);
  assert.equal(all.filter((r) => /^m\d+\./.test(r.name)).length, 0, 'nothing added later');
  assert.equal(all.filter((r) => /^n\d+\./.test(r.name)).length, 300, 'nothing lost');
  assert.deepEqual([serialOf(all[0]), serialOf(all.at(-1))], [7, 7]);
});

test('IXFR from our own serial or a newer one (RFC 1982, across the wrap) gets the SOA alone', async () => {
  const { zone } = sampleZone();
  for (const client of [7, 8, 2 ** 31 + 6]) {
    const messages = await transfer(
      zone,
      queryPacket({ name: APEX, type: RRType.IXFR, ixfrSerial: client }),
      none,
    );
    assert.deepEqual(
      records(messages).map((r) => r.type),
      [RRType.SOA],
      `client at ${client}`,
    );
  }
  zone.setSoa(soaRecord(sampleSettings(), 3));
  const wrapped = await transfer(
    zone,
    queryPacket({ name: APEX, type: RRType.IXFR, ixfrSerial: 2 ** 32 - 2 }),
    none,
  );
  assert.ok(records(wrapped).length > 1, '4294967294 is older than 3: the whole zone');
});

test('IXFR with a difference in the journal: current SOA, old SOA, deletions, current SOA, additions, current SOA (RFC 1995 §4)', async () => {
  const { zone } = sampleZone();
  const settings = sampleSettings();
  const gone = {
    name: `gone.${TOKEN}.dkim.${APEX}`,
    ttl: 3600,
    data: { type: 'TXT' as const, strings: ['v=DKIM1; p='] },
  };
  const fresh = {
    name: `new.${TOKEN}.dkim.${APEX}`,
    ttl: 3600,
    data: { type: 'TXT' as const, strings: ['v=DKIM1; p=AB'] },
  };
  const asked: Array<[number, number]> = [];
  const difference = (from: number, to: number): Promise<JournalEntry | null> => {
    asked.push([from, to]);
    return Promise.resolve({
      fromSerial: from,
      toSerial: to,
      soaFrom: toWireRecord(soaRecord(settings, from)),
      soaTo: toWireRecord(soaRecord(settings, to)),
      deleted: [toWireRecord(gone)],
      added: [toWireRecord(fresh)],
    });
  };
  const messages = await transfer(
    zone,
    queryPacket({ name: APEX, type: RRType.IXFR, ixfrSerial: 5 }),
    difference,
  );
  assert.deepEqual(asked, [[5, 7]]);
  const all = records(messages);
  assert.deepEqual(
    all.map((r) => (r.type === RRType.SOA ? `SOA ${serialOf(r)}` : r.name)),
    ['SOA 7', 'SOA 5', gone.name, 'SOA 7', fresh.name, 'SOA 7'],
  );
});

test('IXFR the journal cannot lead from, or without the client SOA, gets the whole zone in AXFR form (RFC 1995 §4)', async () => {
  const { zone } = sampleZone();
  const whole = zone.records().length + 1;
  const older = await transfer(zone, queryPacket({ name: APEX, type: RRType.IXFR, ixfrSerial: 1 }), none);
  assert.equal(records(older).length, whole);
  const bare = await transfer(zone, queryPacket({ name: APEX, type: RRType.IXFR }), () => {
    throw new Error('not asked without a serial');
  });
  assert.equal(records(bare).length, whole);
});

test('IXFR: a difference longer than the zone is not sent; the zone is (RFC 1995 §5)', async () => {
  const { zone } = sampleZone();
  const settings = sampleSettings();
  const huge = Array.from({ length: 2000 }, (_, i) =>
    toWireRecord({ name: `x${i}.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['q'.repeat(200)] } }),
  );
  const difference = (from: number, to: number) =>
    Promise.resolve({
      fromSerial: from,
      toSerial: to,
      soaFrom: toWireRecord(soaRecord(settings, from)),
      soaTo: toWireRecord(soaRecord(settings, to)),
      deleted: huge,
      added: [],
    });
  const messages = await transfer(
    zone,
    queryPacket({ name: APEX, type: RRType.IXFR, ixfrSerial: 6 }),
    difference,
  );
  assert.equal(records(messages).length, zone.records().length + 1);
});
