import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complaintRate, thresholdsReached, type DayCounts } from './figures.ts';

const day = (delivered: number, complaints: number): DayCounts => ({
  day: '2026-12-07',
  sent: delivered,
  delivered,
  hard: 0,
  soft: 0,
  block: 0,
  unknown: 0,
  complaints,
  unsubscribes: 0,
});

test('complaint rate and thresholds: none below the minimum; 0.1% and 0.3% reached at, not only above', () => {
  const cases: Array<[string, DayCounts, number | null, number[]]> = [
    ['below the minimum of deliveries: no rate, whatever the complaints', day(999, 5), null, []],
    ['no deliveries at all', day(0, 0), null, []],
    ['at the minimum, none', day(1000, 0), 0, []],
    ['exactly 0.1%', day(1000, 1), 0.001, [0.001]],
    ['just under 0.3%', day(1000, 2), 0.002, [0.001]],
    ['exactly 0.3%', day(1000, 3), 0.003, [0.001, 0.003]],
    ['far over', day(2000, 100), 0.05, [0.001, 0.003]],
  ];
  for (const [name, counts, rate, reached] of cases) {
    assert.equal(complaintRate(counts, 1000), rate, name);
    assert.deepEqual(thresholdsReached(counts, 1000), reached, name);
  }
});
