import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.ts';
import { networkOf, RateLimiter } from './rate-limiter.ts';

const settings = {
  responsesPerSecond: 5,
  slip: 2,
  ipv4PrefixLength: 24,
  ipv6PrefixLength: 56,
  maxEntries: 3,
};

test('a network gets its rate, then drops with every second one slipped, then recovers', () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter(settings, clock);
  const decisions = Array.from({ length: 9 }, () => limiter.decide('192.0.2.1'));
  assert.deepEqual(decisions, [
    'answer',
    'answer',
    'answer',
    'answer',
    'answer',
    'drop',
    'slip',
    'drop',
    'slip',
  ]);
  assert.equal(limiter.decide('192.0.2.77'), 'drop', 'the same /24 shares the budget');
  assert.equal(limiter.decide('198.51.100.1'), 'answer', 'another network has its own');
  clock.advance(400);
  assert.deepEqual(
    [limiter.decide('192.0.2.1'), limiter.decide('192.0.2.1'), limiter.decide('192.0.2.1')],
    ['answer', 'answer', 'slip'],
  );
});

test('the table is bounded: the least recently seen network is forgotten', () => {
  const limiter = new RateLimiter(settings, new ManualClock());
  for (const a of ['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.4.1', '10.0.5.1']) limiter.decide(a);
  assert.equal(limiter.size, 3);
});

test('networks: IPv4 /24, IPv6 /56, IPv4-mapped IPv6 as IPv4', () => {
  assert.equal(networkOf('192.0.2.200', 24, 56), networkOf('192.0.2.1', 24, 56));
  assert.notEqual(networkOf('192.0.3.1', 24, 56), networkOf('192.0.2.1', 24, 56));
  assert.equal(networkOf('::ffff:192.0.2.9', 24, 56), networkOf('192.0.2.1', 24, 56));
  assert.equal(networkOf('2001:db8:0:ff::1', 24, 56), networkOf('2001:db8:0:ab::2', 24, 56));
  assert.notEqual(networkOf('2001:db8:0:100::1', 24, 56), networkOf('2001:db8::1', 24, 56));
});
