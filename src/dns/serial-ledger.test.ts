import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DnsRepository, StoredSerial } from './ports.ts';
import { settleSerial } from './serial-ledger.ts';
import { serialGreater } from './serial.ts';

/** An in-memory repository; `interfere` lets a test play another process between read and write. */
function memoryRepo(interfere?: (stored: StoredSerial | null) => StoredSerial | null) {
  let row: StoredSerial | null = null;
  const repo: Pick<DnsRepository, 'readSerial' | 'compareAndSetSerial'> = {
    readSerial: () => Promise.resolve(row),
    compareAndSetSerial(_zone, expected, next) {
      if (interfere !== undefined) row = interfere(row);
      const same =
        row === expected ||
        (row !== null &&
          expected !== null &&
          row.serial === expected.serial &&
          row.digest === expected.digest);
      if (!same) return Promise.resolve(false);
      row = next;
      return Promise.resolve(true);
    },
  };
  return {
    repo,
    get row() {
      return row;
    },
    set row(r) {
      row = r;
    },
  };
}

const now = () => new Date('2026-11-01T00:00:00Z');
const UNIX = now().getTime() / 1000;

test('the first serial is the Unix time, and the same content keeps it', async () => {
  const m = memoryRepo();
  assert.equal(await settleSerial(m.repo, 'z', 'd1', null, now), UNIX);
  assert.equal(await settleSerial(m.repo, 'z', 'd1', null, now), UNIX);
  assert.deepEqual(m.row, { serial: UNIX, digest: 'd1' });
});

test('new content gets a higher serial, even within the same second', async () => {
  const m = memoryRepo();
  const s1 = await settleSerial(m.repo, 'z', 'd1', null, now);
  const s2 = await settleSerial(m.repo, 'z', 'd2', null, now);
  const s3 = await settleSerial(m.repo, 'z', 'd3', s2 + 1, now);
  assert.ok(serialGreater(s2, s1) && serialGreater(s3, s2));
  assert.equal(s3, s2 + 1, 'a proposed serial ahead of the stored one is kept');
});

test('a proposed serial that is not ahead of the stored one is raised past it', async () => {
  const m = memoryRepo();
  m.row = { serial: UNIX + 500, digest: 'other' };
  assert.equal(await settleSerial(m.repo, 'z', 'd', UNIX, now), UNIX + 501);
});

test('another process storing first: equal content adopts its (higher) serial, new content goes past it', async () => {
  let raced = false;
  const m = memoryRepo((row) => {
    if (raced) return row;
    raced = true;
    return { serial: UNIX + 10, digest: 'd-same' };
  });
  assert.equal(await settleSerial(m.repo, 'z', 'd-same', UNIX + 1, now), UNIX + 10);
  raced = false;
  const m2 = memoryRepo((row) => {
    if (raced) return row;
    raced = true;
    return { serial: UNIX + 10, digest: 'theirs' };
  });
  assert.equal(await settleSerial(m2.repo, 'z', 'ours', UNIX + 1, now), UNIX + 11);
});
