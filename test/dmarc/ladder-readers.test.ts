import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildDmarcRecord, DEFAULT_POLICY, LADDER, expectedTreatment } from '../../src/dmarc/index.ts';
import { run } from '../support/tools.ts';

const RUA = 'mailto:k3j5q2m7x4ab@reports.mail.example.net';
const records = LADDER.map((s) => buildDmarcRecord({ ...DEFAULT_POLICY, step: s.index }, RUA));

// mailauth 7 implements RFC 9989 (t= test mode, pct historic). Its DMARC verifier is CommonJS.
const require = createRequire(import.meta.url);
type VerifyDmarc = (
  opts: Record<string, unknown>,
) => Promise<{ policy?: string; p?: string; testMode?: boolean; status: { result: string } }>;
const verifyDmarc = require('mailauth/lib/dmarc/verify') as VerifyDmarc;

function zone(record: string) {
  return (name: string, type: string) => {
    if (type === 'TXT' && name === '_dmarc.example.com') return Promise.resolve([[record]]);
    const error = Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    return Promise.reject(error);
  };
}

test('mailauth 7 (RFC 9989) applies to failing mail exactly what each step intends', async () => {
  for (const [i, step] of LADDER.entries()) {
    const result = await verifyDmarc({
      headerFrom: 'user@example.com',
      spfDomains: [{ domain: 'spoofer.example.net' }],
      dkimDomains: [],
      resolver: zone(records[i]!),
    });
    assert.equal(result.status.result, 'fail', step.label);
    assert.equal(result.p, step.p, step.label);
    const intended = Object.entries(expectedTreatment(step, 'rfc9989')).find(([, share]) => share === 1)?.[0];
    assert.equal(result.policy, intended, `${step.label}: ${records[i]}`);
    assert.equal(result.testMode === true, step.t === 'y', step.label);
  }
});

test('Mail::DMARC (RFC 7489) samples pct and falls back one level, as each step intends', async () => {
  const script = fileURLToPath(new URL('./mail-dmarc-reading.pl', import.meta.url));
  const r = await run('perl', [script], { input: records.join('\n') + '\n', timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, LADDER.length);
  for (const [i, step] of LADDER.entries()) {
    const [p, pct, none, quarantine, reject] = lines[i]!.split('\t');
    assert.equal(p, step.p, step.label);
    assert.equal(pct, step.pct === undefined ? '' : String(step.pct), step.label);
    const expected = expectedTreatment(step, 'rfc7489');
    const seen = {
      none: Number(none) / 2000,
      quarantine: Number(quarantine) / 2000,
      reject: Number(reject) / 2000,
    };
    for (const d of ['none', 'quarantine', 'reject'] as const) {
      // 2000 samples: a binomial share is within ±3.5 points with overwhelming probability (and the seed is fixed).
      assert.ok(Math.abs(seen[d] - expected[d]) <= 0.035, `${step.label}: ${d} ${seen[d]} vs ${expected[d]}`);
    }
  }
});
