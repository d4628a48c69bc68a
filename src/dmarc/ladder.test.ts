import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appliedPolicy } from './dmarc-reading.ts';
import { buildDmarcRecord, DEFAULT_POLICY } from './dmarc-record.ts';
import { allowsBimi, expectedTreatment, LADDER } from './ladder.ts';

const GOLDEN = new URL('./golden/ladder.txt', import.meta.url);
const RUA = 'mailto:k3j5q2m7x4ab@reports.mail.example.net';

function ladderRecords(): string[] {
  return LADDER.map((step) => buildDmarcRecord({ ...DEFAULT_POLICY, step: step.index }, RUA));
}

test('the ladder has 13 steps: monitor, quarantine 1–100%, reject 1–100%', () => {
  assert.deepEqual(
    LADDER.map((s) => s.label),
    [
      'monitor',
      ...[1, 5, 10, 25, 50, 100].map((n) => `quarantine ${n}%`),
      ...[1, 5, 10, 25, 50, 100].map((n) => `reject ${n}%`),
    ],
  );
});

test('golden: the record published at each of the 13 steps', () => {
  const text =
    LADDER.map((s, i) => `${String(i).padStart(2)}  ${s.label.padEnd(15)}  ${ladderRecords()[i]}`).join(
      '\n',
    ) + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, 'utf8'));
});

for (const step of LADDER) {
  test(`step ${step.index} (${step.label}) means the same to RFC 7489 and RFC 9989 receivers`, () => {
    const record = buildDmarcRecord({ ...DEFAULT_POLICY, step: step.index }, RUA);
    const old = appliedPolicy(record, 'rfc7489');
    const bis = appliedPolicy(record, 'rfc9989');
    assert.ok(old && bis);
    assert.equal(old.published, step.p);
    assert.equal(old.percent, step.percent);
    const t7489 = expectedTreatment(step, 'rfc7489');
    const t9989 = expectedTreatment(step, 'rfc9989');
    assert.equal(t9989[bis.applied], 1);
    // Neither reading applies more than the step's policy, nor less than the one below it.
    const order = ['none', 'quarantine', 'reject'] as const;
    const top = order.indexOf(step.p);
    for (const [treatment, share] of [...Object.entries(t7489), ...Object.entries(t9989)]) {
      if (share === 0) continue;
      const level = order.indexOf(treatment as (typeof order)[number]);
      assert.ok(level <= top && level >= Math.max(0, top - 1), `${treatment} at ${step.label}`);
    }
  });
}

test('BIMI is offered only at fully enforced steps (quarantine 100%, reject 100%)', () => {
  assert.deepEqual(
    LADDER.filter(allowsBimi).map((s) => s.label),
    ['quarantine 100%', 'reject 100%'],
  );
});

test('options: sp, np, strict alignment, third-party rua and ruf are published in a fixed order', () => {
  const record = buildDmarcRecord(
    {
      step: 12,
      sp: 'quarantine',
      np: 'reject',
      adkim: 's',
      aspf: 's',
      fo: '1',
      extraRua: ['dmarc@vendor.example'],
      ruf: ['mailto:ruf@example.com'],
    },
    RUA,
  );
  assert.equal(
    record,
    `v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=s; t=n; rua=${RUA},mailto:dmarc@vendor.example; ruf=mailto:ruf@example.com; fo=1`,
  );
});

test('commas and exclamation points inside report URIs are percent-encoded (RFC 9989 §4.7)', () => {
  const record = buildDmarcRecord({ ...DEFAULT_POLICY, extraRua: ['mailto:a,b!c@vendor.example'] }, RUA);
  assert.match(record, /rua=mailto:[^,]+,mailto:a%2Cb%21c@vendor\.example$/);
});
