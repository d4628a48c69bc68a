/**
 * Hostile input: bombs, XXE, billion laughs, truncation, junk and a gigabyte of random bytes. Each is refused
 * with its reason while memory stays bounded (peak RSS of the child process under 512 MiB), and a good report
 * that comes after them is stored as usual.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { run } from '../support/tools.ts';

interface Line {
  name: string;
  status: string;
  reason: string | null;
  message: string | null;
  bytes: number;
  ms: number;
  peakRssMiB: number;
}

test('hostile inputs are refused with a clear reason, in bounded memory, and other reports are unaffected', async () => {
  const child = fileURLToPath(new URL('./hostile-child.ts', import.meta.url));
  const r = await run(process.execPath, [child], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line & { quarantined?: number; kept?: number[] });
  const byName = new Map(lines.filter((l) => l.name !== undefined).map((l) => [l.name, l]));
  const expect = (name: string, reason: string, pattern?: RegExp) => {
    const line = byName.get(name);
    assert.ok(line, name);
    assert.equal(line.status, 'quarantined', name);
    assert.equal(line.reason, reason, `${name}: ${line.message}`);
    if (pattern) assert.match(line.message!, pattern, name);
  };
  expect('zip bomb, honest zip64 header (10 GiB)', 'too_large', /declares 10737418240 bytes/);
  expect('zip bomb, lying header (10 GiB)', 'compression_ratio', /expands more than 200:1/);
  expect('gzip bomb (10 GiB)', 'compression_ratio', /expands more than 200:1/);
  expect('XXE', 'dtd_forbidden', /DOCTYPE/);
  expect('billion laughs', 'dtd_forbidden', /DOCTYPE/);
  expect('truncated gzip', 'truncated', /gzip data ends early/);
  expect('not XML', 'unrecognised_format', /Dear postmaster/);
  expect('HTML', 'not_a_report', /<html>/);
  expect('1 GiB of random bytes', 'unrecognised_format');
  assert.equal(
    byName.get('1 GiB of random bytes')!.bytes,
    1024 ** 3,
    'all of it was read (and hashed) for the audit',
  );
  assert.equal(byName.get('a good report after all that')!.status, 'stored');
  const peak = Math.max(...lines.filter((l) => l.peakRssMiB !== undefined).map((l) => l.peakRssMiB));
  assert.ok(peak < 512, `peak RSS ${peak} MiB`);
  // The bombs stopped early: far from their expansion, in a few seconds at most.
  for (const name of ['zip bomb, lying header (10 GiB)', 'gzip bomb (10 GiB)'])
    assert.ok(byName.get(name)!.ms < 10_000, name);
  const summary = lines.at(-1)!;
  assert.equal(summary.quarantined, 9);
  assert.ok(
    summary.kept!.every((k) => k <= 16 * 1024 * 1024),
    'raw bytes kept up to the limit',
  );
});
