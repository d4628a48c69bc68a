import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Bytes, keyRecord, keyRecordProblem, publicKeyBytesOf } from './key-record.ts';

const KEY = Buffer.from('a public key, as bytes').toString('base64');

/**
 * What the visibility probe and key import read from a key record. `before` is what key-record's own tag parser
 * (replaced by dkim's one RFC 6376 §3.2 parser) gave where the checks' parser disagreed with it.
 */
const CASES: Array<{ why: string; record: string; bytes: string | null; before?: string }> = [
  { why: 'the record senderd publishes', record: keyRecord('rsa', KEY), bytes: KEY },
  {
    why: 'p= folded with whitespace (base64string allows FWS)',
    record: `p=${KEY.slice(0, 8)} \r\n ${KEY.slice(8)}`,
    bytes: KEY,
  },
  { why: 'a revoked key (empty p=)', record: 'v=DKIM1; k=rsa; p=', bytes: null },
  { why: 'no p= at all', record: 'v=DKIM1; k=rsa', bytes: null },
  { why: 'p= that is not base64', record: 'v=DKIM1; p=not*base64', bytes: null },
  { why: 'p= cut to 4n+1 characters', record: `v=DKIM1; p=${KEY}A`, bytes: null },
  { why: 'p= twice', record: `v=DKIM1; p=${KEY}; p=AAAA`, bytes: null, before: 'the first p=' },
  {
    why: 'a tag without "="',
    record: `v=DKIM1; t; p=${KEY}`,
    bytes: null,
    before: 'the key (the tag was skipped)',
  },
  { why: 'a bad tag name', record: `x-y=1; p=${KEY}`, bytes: null, before: 'the key' },
  {
    why: 'P= in upper case is not p=',
    record: `P=${KEY}`,
    bytes: null,
    before: 'the key (names were lower-cased)',
  },
];

for (const c of CASES) {
  test(`key record: ${c.why}`, () => {
    const bytes = publicKeyBytesOf(c.record);
    assert.equal(bytes === null ? null : bytes.toString('base64'), c.bytes);
  });
}

test('base64Bytes: empty gives no bytes; anything but base64 gives null', () => {
  assert.deepEqual(base64Bytes(''), Buffer.alloc(0));
  assert.deepEqual(base64Bytes('AA\tAA'), Buffer.from('AAAA', 'base64'));
  assert.equal(base64Bytes('=='), null);
  assert.equal(base64Bytes('AAAA==='), null);
  assert.equal(base64Bytes('AA-A'), null);
});

test('keyRecordProblem: what a record given to publish must be', () => {
  assert.equal(keyRecordProblem(`v=DKIM1; k=rsa; p=${KEY}`), null);
  assert.equal(keyRecordProblem(`k=rsa; p=${KEY};`), null, 'v= is optional, a trailing ";" is fine');
  assert.match(keyRecordProblem(`p=${KEY}; p=${KEY}`) ?? '', /RFC 6376 §3\.2\): The tag p= appears twice\./);
  assert.match(keyRecordProblem('v=DKIM1; k=rsa') ?? '', /with a p= tag/);
  assert.match(
    keyRecordProblem('v=DKIM1; p=') ?? '',
    /with a p= tag/,
    'a revoked record is not one to publish',
  );
  assert.match(keyRecordProblem(`v=DKIM2; p=${KEY}`) ?? '', /v=DKIM2/);
  assert.match(keyRecordProblem('v=DKIM1; p=not*base64') ?? '', /not base64/);
});
