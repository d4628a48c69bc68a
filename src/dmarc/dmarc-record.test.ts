import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appliedPolicy } from './dmarc-reading.ts';
import { isDmarcRecord, parseDmarcRecord, type DmarcFault } from './dmarc-record.ts';

/**
 * The one DMARC record parser. Where the checks' parser and the receiver reading (dmarc-reading.ts) differed
 * before they became this one, `before` says how; both now read the same tags and faults, and each decides what
 * a fault means to it (the checks refuse a record with a syntax error; a receiver discards the broken part).
 */
const CASES: Array<{
  why: string;
  record: string;
  tags: Record<string, string> | null;
  faults: DmarcFault['kind'][];
  before?: string;
}> = [
  {
    why: 'a plain record',
    record: 'v=DMARC1; p=none; rua=mailto:a@b.example',
    tags: { v: 'DMARC1', p: 'none', rua: 'mailto:a@b.example' },
    faults: [],
  },
  {
    why: 'names are case-insensitive, values kept as written',
    record: 'v=DMARC1;P=Reject;ADKIM=s;',
    tags: { v: 'DMARC1', p: 'Reject', adkim: 's' },
    faults: [],
  },
  {
    why: 'RFC 9989 tags',
    record: 'v=DMARC1; p=reject; np=reject; psd=n; t=y',
    tags: { v: 'DMARC1', p: 'reject', np: 'reject', psd: 'n', t: 'y' },
    faults: [],
  },
  {
    why: 'tags RFC 9989 removed are legacy',
    record: 'v=DMARC1; p=quarantine; pct=25; rf=afrf; ri=3600',
    tags: { v: 'DMARC1', p: 'quarantine', pct: '25', rf: 'afrf', ri: '3600' },
    faults: ['legacy-tag', 'legacy-tag', 'legacy-tag'],
  },
  {
    why: 'v= must come first',
    record: 'p=none; v=DMARC1',
    tags: null,
    faults: ['no-version'],
  },
  {
    why: 'the version value is case-sensitive',
    record: 'v=dmarc1; p=none',
    tags: null,
    faults: ['no-version'],
  },
  {
    why: 'a part that is not a tag is a fault and left out',
    record: 'v=DMARC1; p=none; junk',
    tags: { v: 'DMARC1', p: 'none' },
    faults: ['not-a-tag'],
    before: 'checks: no record; reading: discarded',
  },
  {
    why: 'a tag name with a digit is an unknown tag',
    record: 'v=DMARC1; p=none; p2=x',
    tags: { v: 'DMARC1', p: 'none', p2: 'x' },
    faults: ['unknown-tag'],
    before: 'checks: unknown tag; reading: discarded as not a tag',
  },
  {
    why: 'the first of a repeated tag is kept',
    record: 'v=DMARC1; p=none; p=reject',
    tags: { v: 'DMARC1', p: 'none' },
    faults: ['duplicate-tag'],
  },
  {
    why: "tags named like Object's properties",
    record: 'v=DMARC1; p=none; constructor=1; __proto__=x',
    tags: { v: 'DMARC1', p: 'none', constructor: '1', ['__proto__']: 'x' },
    faults: ['unknown-tag', 'unknown-tag'],
    before:
      'checks: a TypeError (the value rules were an object, and constructor= found Object.prototype.constructor)',
  },
  {
    why: 'bad values, no policy, a URI that is not mailto:',
    record: 'v=DMARC1; adkim=x; ruf=https://x.example/r',
    tags: { v: 'DMARC1', adkim: 'x', ruf: 'https://x.example/r' },
    faults: ['bad-value', 'no-policy', 'bad-uri'],
  },
];

for (const c of CASES) {
  test(`DMARC record: ${c.why}`, () => {
    const parsed = parseDmarcRecord(c.record);
    const tags = parsed.record === null ? null : Object.fromEntries(parsed.record.tags);
    assert.deepEqual(tags, c.tags === null ? null : { ...c.tags });
    assert.deepEqual(
      parsed.faults.map((f) => f.kind),
      c.faults,
    );
  });
}

test('DMARC record: report URIs with their domains and size limits', () => {
  const parsed = parseDmarcRecord('v=DMARC1; p=none; rua=mailto:a@Reports.Example.,mailto:b@c.example!10m');
  assert.deepEqual(parsed.record?.rua, [
    { uri: 'mailto:a@Reports.Example.', domain: 'reports.example' },
    { uri: 'mailto:b@c.example!10m', domain: 'c.example' },
  ]);
});

test('DMARC record: only records beginning with v=DMARC1 are DMARC records (RFC 7489 §6.6.3)', () => {
  assert.equal(isDmarcRecord('v=DMARC1; p=none'), true);
  assert.equal(isDmarcRecord('v = DMARC1'), true);
  assert.equal(isDmarcRecord('"v=DMARC1; p=none"'), false);
  assert.equal(isDmarcRecord('v=spf1 -all'), false);
  assert.equal(isDmarcRecord('v=DMARC10; p=none'), false);
});

test('DMARC record: a receiver reading skips a broken part; the checks would refuse the record', () => {
  const record = 'v=DMARC1; p=quarantine; junk; pct=25; t=y';
  assert.deepEqual(appliedPolicy(record, 'rfc7489'), {
    published: 'quarantine',
    applied: 'quarantine',
    percent: 25,
    testMode: false,
  });
  assert.equal(appliedPolicy(record, 'rfc9989')?.applied, 'none');
  assert.equal(appliedPolicy('junk; v=DMARC1; p=reject', 'rfc9989'), null);
});
