import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { cryptoRandom, systemClock } from '../core/index.ts';
import { APEX, sampleSettings } from '../../test/support/dns-zone.ts';
import { decodeMessage } from './message-decoder.ts';
import { Notifier, type NotifyTarget } from './notifier.ts';
import {
  Flag,
  locateTsig,
  Opcode,
  RRType,
  signMessage,
  type TsigKey,
  verifyMessage,
} from '../dns-wire/index.ts';
import { soaRecord } from './zone-builder.ts';

/** A UDP peer on 127.0.0.1 that records what it gets and answers as `reply` says. */
async function peer(
  reply: (msg: Buffer) => Buffer | null,
): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    const answer = reply(msg);
    if (answer !== null) socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { socket, port: socket.address().port, received };
}

function outcomes() {
  const seen: Array<{ target: NotifyTarget; serial: number; outcome: string }> = [];
  let wake: () => void = () => undefined;
  return {
    seen,
    onOutcome: (target: NotifyTarget, serial: number, outcome: string) => {
      seen.push({ target, serial, outcome });
      wake();
    },
    next: () => new Promise<void>((resolve) => (wake = resolve)),
  };
}

test('NOTIFY (RFC 1996): opcode 4, AA, the SOA as question and answer; an answer ends the retries', async () => {
  const secondary = await peer((msg) => {
    const answer = Buffer.from(msg);
    answer[2] = answer[2]! | 0x80;
    return answer;
  });
  const o = outcomes();
  const notifier = new Notifier({
    apex: APEX,
    targets: [{ host: '127.0.0.1', port: secondary.port }],
    random: cryptoRandom,
    clock: systemClock,
    retryMs: 1000,
    attempts: 3,
    onOutcome: o.onOutcome,
  });
  try {
    const done = o.next();
    notifier.notify(soaRecord(sampleSettings(), 42));
    await done;
    assert.deepEqual(
      o.seen.map((s) => [s.serial, s.outcome]),
      [[42, 'acknowledged']],
    );
    const m = decodeMessage(secondary.received[0]!)!;
    assert.equal(m.opcode, Opcode.NOTIFY);
    assert.ok((m.flags & Flag.AA) !== 0 && (m.flags & Flag.QR) === 0);
    assert.deepEqual(m.question, [{ name: APEX, type: RRType.SOA, class: 1 }]);
    assert.equal(m.answer[0]?.type, RRType.SOA);
    assert.match(m.answer[0].data, / 42 /);
    assert.equal(secondary.received.length, 1, 'no retry after the answer');
  } finally {
    notifier.close();
    secondary.socket.close();
  }
});

test('an unanswered NOTIFY is retried with growing intervals, and wrong answers are ignored', async () => {
  const secondary = await peer((msg) => {
    const wrong = Buffer.from(msg);
    wrong.writeUInt16BE((msg.readUInt16BE(0) + 1) & 0xffff, 0); // another ID
    wrong[2] = wrong[2]! | 0x80;
    return wrong;
  });
  const o = outcomes();
  const notifier = new Notifier({
    apex: APEX,
    targets: [{ host: '127.0.0.1', port: secondary.port }],
    random: cryptoRandom,
    clock: systemClock,
    retryMs: 20,
    attempts: 3,
    onOutcome: o.onOutcome,
  });
  try {
    const done = o.next();
    notifier.notify(soaRecord(sampleSettings(), 43));
    await done;
    assert.deepEqual(
      o.seen.map((s) => s.outcome),
      ['unanswered'],
    );
    assert.equal(secondary.received.length, 3);
  } finally {
    notifier.close();
    secondary.socket.close();
  }
});

const KEY: TsigKey = { name: 'xfr.example.net', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 3) };

/** A secondary that checks the NOTIFY's TSIG and answers signed with `answerKey` (or unsigned: null). */
function keyedPeer(answerKey: TsigKey | null, checked: boolean[]) {
  return peer((msg) => {
    const place = locateTsig(msg);
    const verdict =
      place.kind === 'at'
        ? verifyMessage(msg, place.start, { keys: new Map([[KEY.name, KEY]]), now: Date.now() / 1000 })
        : null;
    checked.push(verdict?.ok === true);
    if (place.kind !== 'at' || verdict === null || !verdict.ok) return null;
    const answer = Buffer.from(msg.subarray(0, place.start));
    answer[2] = answer[2]! | 0x80;
    answer.writeUInt16BE(answer.readUInt16BE(10) - 1, 10);
    if (answerKey === null) return answer;
    return signMessage(answer, {
      key: answerKey,
      timeSigned: Math.floor(Date.now() / 1000),
      priorMac: verdict.record.mac,
    }).message;
  });
}

for (const [what, answerKey, expected] of [
  ['a signed answer over our MAC is accepted', KEY, 'acknowledged'],
  ['an unsigned answer is not: the retries go on', null, 'unanswered'],
  ['an answer signed with another secret is not', { ...KEY, secret: Buffer.alloc(32, 4) }, 'unanswered'],
] as const) {
  test(`NOTIFY to a keyed secondary is signed (RFC 8945); ${what}`, async () => {
    const checked: boolean[] = [];
    const secondary = await keyedPeer(answerKey, checked);
    const o = outcomes();
    const notifier = new Notifier({
      apex: APEX,
      targets: [{ host: '127.0.0.1', port: secondary.port, key: KEY }],
      random: cryptoRandom,
      clock: systemClock,
      retryMs: 100,
      attempts: 2,
      onOutcome: o.onOutcome,
    });
    try {
      notifier.notify(soaRecord(sampleSettings(), 44));
      while (!o.seen.some((s) => s.outcome !== 'unverified')) await o.next();
      const seen = o.seen.map((s) => s.outcome);
      assert.equal(seen.at(-1), expected);
      // Before giving up, each answer that arrived in time was reported as unverified (how many arrive before
      // the retry timer depends on the machine's load).
      if (expected === 'unanswered') {
        assert.ok(seen.length >= 2, `at least one answer was seen and refused: ${seen.join(', ')}`);
        assert.ok(seen.slice(0, -1).every((x) => x === 'unverified'));
      } else assert.deepEqual(seen, ['acknowledged']);
      assert.ok(checked.length > 0 && checked.every(Boolean), 'every NOTIFY carried a valid TSIG');
    } finally {
      notifier.close();
      secondary.socket.close();
    }
  });
}
