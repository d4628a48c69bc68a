import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { quietLogger } from '../core/index.ts';
import { JobLeases } from './job-leases.ts';
import type { JobLeaseRepository, JobLeaseRow } from './ports.ts';

/** The repository's rule in memory (the store contract checks the real ones against the same rule). */
function memoryRepo(): JobLeaseRepository & { rows: Map<string, JobLeaseRow> } {
  const rows = new Map<string, JobLeaseRow>();
  return {
    rows,
    claim(name, owner, until, now) {
      const row = rows.get(name);
      if (row !== undefined && row.owner !== owner && row.until >= now) return Promise.resolve(false);
      rows.set(name, { name, owner, until, acquiredAt: row?.owner === owner ? row.acquiredAt : now });
      return Promise.resolve(true);
    },
    release(name, owner) {
      if (rows.get(name)?.owner === owner) rows.delete(name);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...rows.values()]),
  };
}

test('one holder per job; the holder renews in the background; stop gives the jobs back', async () => {
  const repo = memoryRepo();
  let now = Date.parse('2026-12-07T10:00:00Z');
  const leases = (owner: string) =>
    new JobLeases({ repo, owner, leaseMs: 300, now: () => now, log: quietLogger() });
  const a = leases('a');
  const b = leases('b');
  assert.equal(await a.gate('rotation')(), true);
  assert.equal(await b.gate('rotation')(), false);
  assert.deepEqual(a.held(), ['rotation']);
  assert.deepEqual(b.held(), []);
  // Time passes beyond the lease; a's background renewal (every 100 ms) keeps it.
  for (let i = 0; i < 5; i++) {
    now += 200;
    await sleep(120);
  }
  assert.equal(await b.gate('rotation')(), false, 'renewed by a, so still held');
  await a.stop();
  assert.equal(await b.gate('rotation')(), true, 'given back: b takes it at once');
  await b.stop();
  assert.equal(repo.rows.size, 0);
});

test('a holder that was paused past its lease and lost the job drops it', async () => {
  const repo = memoryRepo();
  let now = Date.parse('2026-12-07T10:00:00Z');
  const a = new JobLeases({ repo, owner: 'a', leaseMs: 60_000, now: () => now, log: quietLogger() });
  const b = new JobLeases({ repo, owner: 'b', leaseMs: 60_000, now: () => now, log: quietLogger() });
  assert.equal(await a.gate('checks')(), true);
  now += 61_000; // a did not renew in time (its process was stopped, say)
  assert.equal(await b.gate('checks')(), true, 'expired: b takes over');
  assert.equal(await a.gate('checks')(), false);
  assert.deepEqual(a.held(), [], 'a knows it lost the job');
  await a.stop();
  assert.equal(repo.rows.get('checks')?.owner, 'b', "a's stop does not give back b's lease");
  await b.stop();
});
