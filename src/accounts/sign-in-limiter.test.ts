import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.ts';
import { SignInLimiter } from './sign-in-limiter.ts';

const limits = { perAccount: 3, perClient: 5, windowMs: 15 * 60_000 };

test('an account is refused after its limit, until the window has passed', () => {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const l = new SignInLimiter(limits, clock);
  for (let i = 0; i < 3; i++) {
    assert.equal(l.retryAfter('a@x', 'c1'), 0, `attempt ${i + 1} allowed`);
    l.recordFailure('a@x', 'c1');
  }
  assert.equal(l.retryAfter('a@x', 'c1'), 900);
  assert.equal(l.retryAfter('a@x', 'c2'), 900, 'from another client too');
  assert.equal(l.retryAfter('b@x', 'c1'), 0, 'another account from the same client is not locked yet');
  clock.advance(14 * 60_000);
  assert.equal(l.retryAfter('a@x', 'c1'), 60);
  clock.advance(60_000);
  assert.equal(l.retryAfter('a@x', 'c1'), 0);
});

test('one client guessing many accounts is refused at the per-client limit', () => {
  const l = new SignInLimiter(limits, new ManualClock());
  for (let i = 0; i < 5; i++) l.recordFailure(`user${i}@x`, 'c1');
  assert.ok(l.retryAfter('fresh@x', 'c1') > 0);
  assert.equal(l.retryAfter('fresh@x', 'c2'), 0);
});

test('a success clears the account, not the client', () => {
  const l = new SignInLimiter({ ...limits, perClient: 3 }, new ManualClock());
  l.recordFailure('a@x', 'c1');
  l.recordFailure('a@x', 'c1');
  l.recordSuccess('a@x');
  l.recordFailure('a@x', 'c1');
  assert.equal(l.retryAfter('a@x', 'c2'), 0, 'the account starts over');
  assert.ok(l.retryAfter('z@x', 'c1') > 0, 'the client keeps its three failures');
});

test('memory stays bounded whatever is guessed', () => {
  const l = new SignInLimiter(limits, new ManualClock());
  for (let i = 0; i < 30_000; i++) l.recordFailure(`u${i}@x`, `c${i}`);
  assert.equal(l.retryAfter('u29999@x', 'c0'), 0, 'one failure each, none locked');
});
