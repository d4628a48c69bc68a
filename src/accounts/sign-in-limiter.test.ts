import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.ts';
import { MAX_ACCOUNT_DELAY_S, SignInLimiter, type SignInFailureLog } from './sign-in-limiter.ts';

const limits = { perAccount: 3, perClient: 5, windowMs: 15 * 60_000 };

/** The store's failure log, in memory (the SQL one runs in test/accounts/sign-in-limit.test.ts). */
function memoryLog(): SignInFailureLog {
  let rows: Array<{ key: string; at: string }> = [];
  return {
    count(keys, since) {
      const out = new Map<string, { count: number; firstAt: string; lastAt: string }>();
      for (const r of rows.filter((r) => keys.includes(r.key) && r.at > since)) {
        const s = out.get(r.key);
        if (s === undefined) out.set(r.key, { count: 1, firstAt: r.at, lastAt: r.at });
        else out.set(r.key, { count: s.count + 1, firstAt: s.firstAt, lastAt: r.at });
      }
      return Promise.resolve(out);
    },
    record(keys, at) {
      rows.push(...keys.map((key) => ({ key, at })));
      return Promise.resolve();
    },
    clear(key) {
      rows = rows.filter((r) => r.key !== key);
      return Promise.resolve();
    },
    purge(before) {
      rows = rows.filter((r) => r.at > before);
      return Promise.resolve();
    },
  };
}

test('an account is refused from the client that failed, until the window has passed', async () => {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const l = new SignInLimiter(limits, clock, memoryLog());
  for (let i = 0; i < 3; i++) {
    assert.equal(await l.retryAfter('a@x', '192.0.2.1'), 0, `attempt ${i + 1} allowed`);
    await l.recordFailure('a@x', '192.0.2.1');
  }
  assert.equal(await l.retryAfter('a@x', '192.0.2.1'), 900);
  assert.equal(
    await l.retryAfter('b@x', '192.0.2.1'),
    0,
    'another account from the same client is not locked yet',
  );
  clock.advance(14 * 60_000);
  assert.equal(await l.retryAfter('a@x', '192.0.2.1'), 60);
  clock.advance(60_000);
  assert.equal(await l.retryAfter('a@x', '192.0.2.1'), 0);
});

test('an attacker elsewhere cannot lock the owner out: the owner waits seconds at most', async () => {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const l = new SignInLimiter(limits, clock, memoryLog());
  // The attacker fails as often as it is let, from one address, for the whole window.
  for (let i = 0; i < 3; i++) await l.recordFailure('owner@x', '198.51.100.7');
  assert.equal(await l.retryAfter('owner@x', '198.51.100.7'), 900, 'the attacker is shut out');
  const ownerWait = await l.retryAfter('owner@x', '192.0.2.10');
  assert.ok(ownerWait <= 1, `the owner waits ${ownerWait} s, not the window`);
  // Many addresses guessing together make each attempt wait longer, up to the cap, never the window.
  for (let i = 0; i < 20; i++) await l.recordFailure('owner@x', `203.0.113.${i}`);
  const wait = await l.retryAfter('owner@x', '192.0.2.10');
  assert.ok(wait > 1 && wait <= MAX_ACCOUNT_DELAY_S, `owner waits ${wait} s`);
  clock.advance(MAX_ACCOUNT_DELAY_S * 1000);
  assert.equal(await l.retryAfter('owner@x', '192.0.2.10'), 0, 'after the delay the owner may try');
});

test('one client guessing many accounts is refused at the per-client limit; an IPv6 /64 is one client', async () => {
  const l = new SignInLimiter(limits, new ManualClock(), memoryLog());
  for (let i = 0; i < 5; i++) await l.recordFailure(`user${i}@x`, `2001:db8:0:1::${i + 1}`);
  assert.ok((await l.retryAfter('fresh@x', '2001:db8:0:1::99')) > 0);
  assert.equal(await l.retryAfter('fresh@x', '2001:db8:0:2::1'), 0);
});

test('a success clears the account, not the client', async () => {
  const l = new SignInLimiter({ ...limits, perClient: 3 }, new ManualClock(), memoryLog());
  await l.recordFailure('a@x', '192.0.2.1');
  await l.recordFailure('a@x', '192.0.2.1');
  await l.recordSuccess('a@x', '192.0.2.1');
  await l.recordFailure('a@x', '192.0.2.1');
  assert.equal(await l.retryAfter('a@x', '192.0.2.2'), 0, 'the account starts over');
  assert.ok((await l.retryAfter('z@x', '192.0.2.1')) > 0, 'the client keeps its three failures');
});
