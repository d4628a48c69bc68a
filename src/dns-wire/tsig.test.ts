import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateTsig, parseTsigRecord, TsigError } from './tsig-record.ts';
import type { TsigKey } from './tsig-algorithm.ts';
import { appendUnsignedTsig, signMessage, signStream, verifyMessage, type TsigCheck } from './tsig.ts';

/**
 * Vectors made with dnspython 2.3 (an independent implementation), key xfr.example.net., hmac-sha256, secret
 * = bytes 0..31, Time Signed 1700000000, fudge 300: `make_query('mail.example.net.', 'SOA')`, id 0x1234,
 * flags 0, `use_tsig(key)`, then `make_response(q)`. dnspython compresses the TSIG owner name (a pointer
 * into the question), which the verifier must follow.
 */
const KEY: TsigKey = {
  name: 'xfr.example.net',
  algorithm: 'hmac-sha256',
  secret: Buffer.from([...Array(32).keys()]),
};
const KEYS = new Map([[KEY.name, KEY]]);
const NOW = 1_700_000_000;
const QUESTION = '123400000001000000000001046d61696c076578616d706c65036e6574000006000103786672c011';
const TSIG_HEAD = '00fa00ff00000000003d0b686d61632d7368613235360000006553f100012c0020';
const REQUEST_MAC = 'e4d22ad200f8742081cd64615bdd04725de463cff576d1d6fe3575c4aca3c085';
const RESPONSE_MAC = '7bdd1313fbf375819154f7749d6c3857a4bf9bd7ed51dfd64e7bafe438de4dfa';
const SIGNED_QUERY = Buffer.from(`${QUESTION}${TSIG_HEAD}${REQUEST_MAC}123400000000`, 'hex');
/** The query as it was before signing: no TSIG, ARCOUNT 0. */
const UNSIGNED_QUERY = Buffer.from(QUESTION.slice(0, 20) + '0000' + QUESTION.slice(24, -12), 'hex');

function check(message: Buffer, now = NOW, priorMac?: Buffer, timersOnly = false): TsigCheck {
  const place = locateTsig(message);
  assert.equal(place.kind, 'at');
  if (place.kind !== 'at') throw new Error('no TSIG');
  return verifyMessage(message, place.start, {
    keys: KEYS,
    now,
    ...(priorMac ? { priorMac } : {}),
    timersOnly,
  });
}

/** The dnspython query with its MAC replaced by `mac` (MAC Size and RDLENGTH adjusted). */
function withMac(mac: Buffer): Buffer {
  const head = Buffer.from(`${QUESTION}${TSIG_HEAD}`, 'hex');
  const rdlength = 0x3d - 32 + mac.length;
  // RDLENGTH sits before the algorithm name (13), Time Signed (6), Fudge (2) and MAC Size (2).
  head.writeUInt16BE(rdlength, head.length - 2 - 2 - 6 - 13 - 2);
  head.writeUInt16BE(mac.length, head.length - 2);
  return Buffer.concat([head, mac, Buffer.from('123400000000', 'hex')]);
}

test('a request signed by dnspython verifies, and our signature of it is byte for byte the same', () => {
  const verdict = check(SIGNED_QUERY);
  assert.equal(verdict.ok, true);
  const ours = signMessage(UNSIGNED_QUERY, { key: KEY, timeSigned: NOW });
  assert.equal(ours.mac.toString('hex'), REQUEST_MAC);
  assert.equal(check(ours.message).ok, true);
});

test('a response digests the request MAC first (§4.3.1): the same MAC as dnspython', () => {
  const response = Buffer.from(UNSIGNED_QUERY);
  response[2] = 0x80;
  const signed = signMessage(response, {
    key: KEY,
    timeSigned: NOW,
    priorMac: Buffer.from(REQUEST_MAC, 'hex'),
  });
  assert.equal(signed.mac.toString('hex'), RESPONSE_MAC);
  assert.equal(check(signed.message, NOW, Buffer.from(REQUEST_MAC, 'hex')).ok, true);
  assert.equal(check(signed.message, NOW).ok, false, 'without the request MAC it does not verify');
});

const failures: Array<[string, () => TsigCheck, string, number?]> = [
  [
    'a flipped bit in the question is BADSIG',
    () => check(flip(SIGNED_QUERY, 13)),
    'NOTAUTH',
    TsigError.BADSIG,
  ],
  [
    'a flipped bit in the MAC is BADSIG',
    () => check(flip(SIGNED_QUERY, SIGNED_QUERY.length - 10)),
    'NOTAUTH',
    TsigError.BADSIG,
  ],
  [
    'an unknown key is BADKEY',
    () => verifyMessage(SIGNED_QUERY, locateStart(SIGNED_QUERY), { keys: new Map(), now: NOW }),
    'NOTAUTH',
    TsigError.BADKEY,
  ],
  [
    'the right name with another algorithm is BADKEY (§5.2.1)',
    () =>
      verifyMessage(SIGNED_QUERY, locateStart(SIGNED_QUERY), {
        keys: new Map([[KEY.name, { ...KEY, algorithm: 'hmac-sha512' as const }]]),
        now: NOW,
      }),
    'NOTAUTH',
    TsigError.BADKEY,
  ],
  [
    'the fudge passed by a second is BADTIME',
    () => check(SIGNED_QUERY, NOW + 301),
    'NOTAUTH',
    TsigError.BADTIME,
  ],
  [
    'a time signed in the future beyond the fudge is BADTIME',
    () => check(SIGNED_QUERY, NOW - 301),
    'NOTAUTH',
    TsigError.BADTIME,
  ],
  ['a MAC longer than the hash is FORMERR (§5.2.2.1)', () => check(withMac(Buffer.alloc(33))), 'FORMERR'],
  ['a MAC shorter than half the hash is FORMERR', () => check(withMac(Buffer.alloc(15))), 'FORMERR'],
  ['an empty MAC in a request is FORMERR', () => check(withMac(Buffer.alloc(0))), 'FORMERR'],
];
for (const [what, run, rcode, error] of failures) {
  test(what, () => {
    const verdict = run();
    assert.equal(verdict.ok, false);
    if (verdict.ok) return;
    assert.equal(verdict.rcode, rcode);
    if (error !== undefined) assert.equal('error' in verdict ? verdict.error : undefined, error);
  });
}

test('the time check comes after the MAC check: a bad MAC from a skewed clock is BADSIG, not BADTIME', () => {
  const verdict = check(flip(SIGNED_QUERY, 13), NOW + 10_000);
  assert.equal(!verdict.ok && 'error' in verdict && verdict.error, TsigError.BADSIG);
});

test('at the edge of the fudge the request still verifies', () => {
  assert.equal(check(SIGNED_QUERY, NOW + 300).ok, true);
  assert.equal(check(SIGNED_QUERY, NOW - 300).ok, true);
});

test('a MAC truncated to half the hash verifies against ours truncated the same way (§5.2.2.1 case 4)', () => {
  const truncated = withMac(Buffer.from(REQUEST_MAC, 'hex').subarray(0, 16));
  assert.equal(check(truncated).ok, true);
  const wrong = Buffer.from(REQUEST_MAC, 'hex').subarray(0, 16);
  wrong[15] = wrong[15]! ^ 1;
  assert.equal(check(withMac(wrong)).ok, false);
});

test('a stream (§5.3.1): each message after the first digests the prior MAC and the timers only', () => {
  const requestMac = Buffer.from(REQUEST_MAC, 'hex');
  const messages = [0, 1, 2].map((i) => {
    const m = Buffer.from(UNSIGNED_QUERY);
    m[2] = 0x84;
    m[3] = i;
    return m;
  });
  const signed = signStream(messages, KEY, requestMac, NOW);
  let prior: Buffer = requestMac;
  signed.forEach((m, i) => {
    const verdict = check(m, NOW, prior, i > 0);
    assert.equal(verdict.ok, true, `message ${i}`);
    if (verdict.ok) prior = verdict.record.mac;
  });
  assert.equal(check(signed[1]!, NOW, prior, true).ok, false, 'out of order does not verify');
  assert.equal(
    check(signed[1]!, NOW, requestMac, false).ok,
    false,
    'full variables do not verify a later message',
  );
});

test('an unsigned error record (§5.3.2): MAC size 0, the error, the request key and algorithm', () => {
  const request = parseTsigRecord(SIGNED_QUERY, locateStart(SIGNED_QUERY))!;
  const answer = appendUnsignedTsig(Buffer.from(UNSIGNED_QUERY), request, TsigError.BADKEY, NOW + 5);
  assert.equal(answer.readUInt16BE(10), 1);
  const record = parseTsigRecord(answer, locateStart(answer))!;
  assert.deepEqual(
    [record.keyName, record.algorithm, record.mac.length, record.error, record.timeSigned],
    ['xfr.example.net', 'hmac-sha256', 0, TsigError.BADKEY, NOW + 5],
  );
});

test('locateTsig: TSIG not last, twice, or outside the additional section is FORMERR (§5.2)', () => {
  const tsig = SIGNED_QUERY.subarray(UNSIGNED_QUERY.length);
  const a = Buffer.from('00002900000000000000000000', 'hex').subarray(0, 11); // an OPT record
  const build = (sections: [number, number, number], records: Buffer[]) => {
    const head = Buffer.from(UNSIGNED_QUERY);
    head.writeUInt16BE(sections[0], 6);
    head.writeUInt16BE(sections[1], 8);
    head.writeUInt16BE(sections[2], 10);
    return Buffer.concat([head, ...records]);
  };
  assert.equal(locateTsig(build([0, 0, 2], [tsig, a])).kind, 'formerr', 'not last');
  assert.equal(locateTsig(build([0, 0, 2], [tsig, tsig])).kind, 'formerr', 'twice');
  assert.equal(locateTsig(build([1, 0, 0], [tsig])).kind, 'formerr', 'in the answer section');
  assert.equal(locateTsig(build([0, 0, 2], [a, tsig])).kind, 'at', 'after OPT, last');
  assert.equal(locateTsig(build([0, 0, 1], [a])).kind, 'none');
  assert.equal(
    locateTsig(build([0, 0, 1], [tsig.subarray(0, tsig.length - 1)])).kind,
    'formerr',
    'truncated',
  );
});

test('parseTsigRecord refuses absurd lengths, another class, or a non-zero TTL', () => {
  const start = locateStart(SIGNED_QUERY);
  const at = (offset: number, value: number) => {
    const b = Buffer.from(SIGNED_QUERY);
    b.writeUInt16BE(value, start + offset);
    return b;
  };
  // Offsets from the owner (xfr + pointer: 6 octets): type +6, class +8, ttl +10, rdlength +14, then RDATA +16.
  assert.equal(parseTsigRecord(at(8, 1), start), null, 'class IN');
  assert.equal(parseTsigRecord(at(10, 1), start), null, 'TTL');
  assert.equal(parseTsigRecord(at(16 + 13 + 8, 0xffff), start), null, 'MAC size beyond the record');
  const other = Buffer.from(SIGNED_QUERY);
  other.writeUInt16BE(9, other.length - 2);
  assert.equal(parseTsigRecord(other, start), null, 'Other Len beyond the record');
  assert.ok(parseTsigRecord(SIGNED_QUERY, start));
});

function flip(message: Buffer, at: number): Buffer {
  const b = Buffer.from(message);
  b[at] = b[at]! ^ 1;
  return b;
}

function locateStart(message: Buffer): number {
  const place = locateTsig(message);
  if (place.kind !== 'at') throw new Error('no TSIG');
  return place.start;
}
