import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDmarcRecord, parseDmarc } from './dmarc-record.ts';

const CASES: Array<{ record: string; codes: string[]; valid: boolean; why: string }> = [
  { record: 'v=DMARC1; p=none; rua=mailto:a@b.example', codes: [], valid: true, why: 'a plain record' },
  {
    record: 'v=DMARC1; p=none; rua=mailto:a@b.example;',
    codes: [],
    valid: true,
    why: 'a trailing ; is harmless',
  },
  {
    record: 'v=DMARC1;p=reject;np=reject;psd=n;t=y',
    codes: [],
    valid: true,
    why: 'RFC 9989 np, psd and t understood',
  },
  {
    record: 'v=DMARC1; p=quarantine; pct=25',
    codes: ['dmarc-legacy-tag'],
    valid: true,
    why: 'pct is legacy',
  },
  {
    record: 'v=DMARC1; p=none; rf=afrf; ri=3600',
    codes: ['dmarc-legacy-tag'],
    valid: true,
    why: 'rf and ri are legacy',
  },
  {
    record: 'v=DMARC1; p=none; foo=bar',
    codes: ['dmarc-unknown-tag'],
    valid: true,
    why: 'an unknown tag is ignored with a warning',
  },
  { record: 'v=DMARC1; p=block', codes: ['dmarc-bad-value'], valid: true, why: 'a bad policy value' },
  { record: 'v=DMARC1; p=none; t=maybe', codes: ['dmarc-bad-value'], valid: true, why: 'a bad t= value' },
  { record: 'v=DMARC1; p=none; pct=150', codes: ['dmarc-bad-value'], valid: true, why: 'pct over 100' },
  {
    record: 'v=DMARC1; rua=mailto:a@b.example',
    codes: ['dmarc-no-policy'],
    valid: true,
    why: 'no p= means none',
  },
  { record: 'v=DMARC1; p=none; p=reject', codes: ['dmarc-duplicate-tag'], valid: true, why: 'a tag twice' },
  { record: 'p=none; v=DMARC1', codes: ['dmarc-syntax'], valid: false, why: 'v= must come first' },
  {
    record: 'v=DMARC1; p=none; rua=https://x.example/r',
    codes: ['dmarc-bad-uri'],
    valid: true,
    why: 'rua must be mailto:',
  },
];

for (const c of CASES) {
  test(`DMARC: ${c.why}`, () => {
    const parsed = parseDmarc(c.record);
    assert.equal(parsed.record !== null, c.valid);
    const codes = parsed.remarks.map((r) => r.code);
    for (const code of c.codes) assert.ok(codes.includes(code), `${code} in ${codes.join(',')}`);
    if (c.codes.length === 0) assert.deepEqual(codes, []);
  });
}

test('only records beginning with v=DMARC1 are DMARC records (RFC 7489 §6.6.3)', () => {
  assert.equal(isDmarcRecord('v=DMARC1; p=none'), true);
  assert.equal(isDmarcRecord('v=DMARC1'), true);
  assert.equal(isDmarcRecord('"v=DMARC1; p=none"'), false);
  assert.equal(isDmarcRecord('v=spf1 -all'), false);
  assert.equal(isDmarcRecord('v=DMARC10; p=none'), false);
});

test('rua domains are read from mailto: URIs, with an optional size limit', () => {
  const parsed = parseDmarc('v=DMARC1; p=none; rua=mailto:a@Reports.Example.,mailto:b@c.example!10m');
  assert.deepEqual(
    parsed.record?.rua.map((u) => u.domain),
    ['reports.example', 'c.example'],
  );
});
