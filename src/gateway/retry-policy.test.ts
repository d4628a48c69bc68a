import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRetry, type RetryPolicy } from './retry-policy.ts';

const policy: RetryPolicy = {
  firstDelayMs: 300_000,
  factor: 2,
  maxDelayMs: 4 * 3_600_000,
  expireAfterMs: 5 * 86_400_000,
};

test('retry delays grow exponentially from the first delay and are capped', () => {
  const cases: Array<[attempts: number, delayMs: number]> = [
    [1, 300_000],
    [2, 600_000],
    [3, 1_200_000],
    [6, 9_600_000],
    [7, 14_400_000],
    [30, 14_400_000],
  ];
  for (const [attempts, delay] of cases) {
    assert.deepEqual(
      nextRetry(policy, attempts, 1_000, 0),
      { kind: 'retry', at: 1_000 + delay },
      `attempt ${attempts}`,
    );
  }
});

test('the last retry lands on the deadline; at or after it the message expires', () => {
  const deadline = policy.expireAfterMs;
  assert.deepEqual(nextRetry(policy, 9, deadline - 1_000, 0), { kind: 'retry', at: deadline });
  assert.deepEqual(nextRetry(policy, 10, deadline, 0), { kind: 'expire' });
  assert.deepEqual(nextRetry(policy, 1, deadline + 1, 0), { kind: 'expire' });
});
