/**
 * The contract of the job-lease port, part of the store contract (SQLite and PostgreSQL): one holder at a time,
 * even when nodes claim at once; the holder renews; an expired or given-back lease goes to the next claimant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from './store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;

const T0 = '2026-11-01T00:00:00.000Z';
const T1 = '2026-11-01T00:00:10.000Z';
const T2 = '2026-11-01T00:00:30.000Z';
const T3 = '2026-11-01T00:00:31.000Z';
const T4 = '2026-11-01T00:01:00.000Z';

export function describeJobLeaseContract(withStore: WithStore): void {
  test('job leases: one holder, renewal, take-over after expiry, give-back', () =>
    withStore(async (store) => {
      const l = store.jobLeases;
      assert.equal(await l.claim('dkim-rotation', 'a', T2, T0), true, 'a free lease is taken');
      assert.equal(await l.claim('dkim-rotation', 'b', T2, T1), false, 'held by a until T2');
      assert.equal(await l.claim('checks', 'b', T2, T1), true, 'another job is another lease');
      assert.equal(await l.claim('dkim-rotation', 'a', T4, T1), true, 'the holder renews');
      assert.equal(await l.claim('dkim-rotation', 'b', T4, T3), false, 'renewed until T4');
      const rows = await l.list();
      assert.deepEqual(
        rows.map((r) => [r.name, r.owner, r.until, r.acquiredAt]),
        [
          ['checks', 'b', T2, T1],
          ['dkim-rotation', 'a', T4, T0],
        ],
        'a renewal keeps the time it was first taken',
      );
      assert.equal(await l.claim('checks', 'a', T4, T3), true, "b's lease expired at T2: a takes it over");
      assert.equal((await l.list()).find((r) => r.name === 'checks')?.acquiredAt, T3);
      await l.release('dkim-rotation', 'b');
      assert.equal(await l.claim('dkim-rotation', 'b', T4, T3), false, 'only the holder gives it back');
      await l.release('dkim-rotation', 'a');
      assert.equal(await l.claim('dkim-rotation', 'b', T4, T3), true, 'given back: taken at once');
    }));

  test('job leases: of many nodes claiming at once, exactly one wins', () =>
    withStore(async (store) => {
      for (let round = 0; round < 5; round++) {
        const name = `job-${round}`;
        const wins = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.jobLeases.claim(name, `node-${i}`, T2, T0)),
        );
        assert.equal(wins.filter(Boolean).length, 1, `round ${round}: ${wins.join(',')}`);
      }
    }));
}
