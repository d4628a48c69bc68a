import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE, lockHolder, processAlive, takeLock, type ProcessProbe } from './instance-lock.ts';

const LIVE = 4_000_001;
const DEAD = 4_000_002;
const ME = 4_000_003;
const probe: ProcessProbe = (pid) => pid === LIVE;

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-lock-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const held = (dir: string) => readFileSync(join(dir, LOCK_FILE), 'utf8');

const cases: ReadonlyArray<{ name: string; before: string | undefined; taken: boolean }> = [
  { name: 'a free data directory', before: undefined, taken: true },
  { name: 'a lock of a dead process (kill -9) is taken over', before: `${DEAD}\n`, taken: true },
  {
    name: 'a lock naming this very pid (a restarted container) is taken over',
    before: `${ME}\n`,
    taken: true,
  },
  { name: 'a lock file that names no pid is taken over', before: 'garbage', taken: true },
  { name: 'an empty lock file is taken over', before: '', taken: true },
  { name: 'a live holder refuses', before: `${LIVE}\n`, taken: false },
];

for (const c of cases) {
  test(`takeLock: ${c.name}`, () =>
    withDir((dir) => {
      if (c.before !== undefined) writeFileSync(join(dir, LOCK_FILE), c.before);
      const outcome = takeLock(dir, probe, ME);
      assert.equal(outcome.ok, c.taken);
      if (outcome.ok) {
        assert.equal(held(dir), `${ME}\n`);
        outcome.release();
        assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'released on exit');
      } else {
        assert.equal(outcome.pid, LIVE);
        assert.equal(held(dir), c.before, "the holder's lock is left alone");
      }
      assert.deepEqual(readdirSync(dir), outcome.ok ? [] : [LOCK_FILE], 'no private file is left behind');
    }));
}

test('takeLock: a release does not remove a lock another process has taken since', () =>
  withDir((dir) => {
    const outcome = takeLock(dir, probe, ME);
    assert.ok(outcome.ok);
    writeFileSync(join(dir, LOCK_FILE), `${LIVE}\n`);
    outcome.release();
    assert.equal(held(dir), `${LIVE}\n`);
  }));

test('takeLock: of two servers taking over one stale lock at once, exactly one holds it', () =>
  withDir((dir) => {
    writeFileSync(join(dir, LOCK_FILE), `${DEAD}\n`);
    const OTHER = 4_000_004;
    let other: ReturnType<typeof takeLock> | undefined;
    // The other server runs its whole takeover while this one is between judging the lock stale and moving it.
    const racing: ProcessProbe = (pid) => {
      if (pid === DEAD && other === undefined) other = takeLock(dir, (p) => p === OTHER, OTHER);
      return pid === OTHER;
    };
    const mine = takeLock(dir, racing, ME);
    assert.equal(other?.ok, true);
    assert.deepEqual(mine.ok ? 'taken' : mine.pid, OTHER, 'this one refuses, naming the winner');
    assert.equal(held(dir), `${OTHER}\n`);
  }));

test('lockHolder: the pid of a live holder; nobody for no lock, a dead holder or this process', () =>
  withDir((dir) => {
    assert.equal(lockHolder(dir, probe), undefined);
    writeFileSync(join(dir, LOCK_FILE), `${LIVE}\n`);
    assert.equal(lockHolder(dir, probe), LIVE);
    writeFileSync(join(dir, LOCK_FILE), `${DEAD}\n`);
    assert.equal(lockHolder(dir, probe), undefined);
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    assert.equal(
      lockHolder(dir, () => true),
      undefined,
    );
  }));

test('processAlive: this process is alive; a pid past the kernel maximum is not', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(2 ** 22 + 1), false);
});
