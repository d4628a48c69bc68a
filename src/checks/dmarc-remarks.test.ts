import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDmarcRecord } from '../dmarc/index.ts';
import { checkedRecord, dmarcRemark } from './dmarc-remarks.ts';

/** What the DMARC check reads from a record: the remarks, and the record unless it has a syntax error. */
function parseDmarc(text: string) {
  const parsed = parseDmarcRecord(text);
  return { record: checkedRecord(parsed), remarks: parsed.faults.map(dmarcRemark) };
}

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
  {
    record: 'v=DMARC1; p=none; junk',
    codes: ['dmarc-syntax'],
    valid: false,
    why: 'a part that is not a tag is a syntax error here, though receivers discard it',
  },
  {
    record: 'v=DMARC1; p=none; constructor=1; __proto__=x',
    codes: ['dmarc-unknown-tag'],
    valid: true,
    why: "tags named like Object's properties are unknown tags (before: a TypeError)",
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

test('each fault is said in its own words', () => {
  const says = (record: string) =>
    parseDmarc(record).remarks.map((r) => `${r.code} ${r.severity}: ${r.message}`);
  assert.deepEqual(says('p=none; v=DMARC1; p=reject; pct=150; foo=bar; rua=https://x.example/r'), [
    'dmarc-duplicate-tag error: The tag p= appears twice; receivers may reject the record.',
    'dmarc-syntax error: A DMARC record must begin with v=DMARC1 (RFC 7489 §6.4).',
    'dmarc-bad-value error: pct=150 is not valid: it must be a whole number from 0 to 100.',
    'dmarc-legacy-tag note: pct= is legacy: RFC 9989 removed it and receivers following it ignore it (t=y is its replacement for testing); RFC 7489 receivers still read it.',
    'dmarc-unknown-tag warning: The tag foo= is not a DMARC tag; receivers ignore it (RFC 7489 §6.3).',
    'dmarc-bad-uri error: rua= has "https://x.example/r", which is not a mailto: URI (RFC 7489 §6.2).',
  ]);
  assert.deepEqual(says('v=DMARC1; x y; rua=mailto:a@b.example'), [
    'dmarc-syntax error: "x y" is not a tag=value pair (RFC 7489 §6.4).',
    'dmarc-no-policy warning: There is no p= tag: receivers treat the policy as p=none (RFC 7489 §6.6.3).',
  ]);
});

test('rua domains are read from mailto: URIs, with an optional size limit', () => {
  const parsed = parseDmarc('v=DMARC1; p=none; rua=mailto:a@Reports.Example.,mailto:b@c.example!10m');
  assert.deepEqual(
    parsed.record?.rua.map((u) => u.domain),
    ['reports.example', 'c.example'],
  );
});
