/**
 * One running server per data directory (issues 15 and 20). `senderd start` holds `<dataDir>/senderd.lock`, a
 * file naming its pid: a second server over the same directory would run a second set of schedulers (rotations,
 * autopilot, re-checks) and a second spool. The same file tells the CLI whether a server runs here, so a change
 * made while none does can say when it will be served.
 *
 * The lock is taken atomically: the pid is written to a private file that is then hard-linked to the lock name,
 * and link(2) fails with EEXIST if the name exists, so the lock file is never seen half-written. A lock whose
 * process is dead (kill -9, a power cut) is stale and taken over, as PostgreSQL does with postmaster.pid.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'senderd.lock';

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export type ProcessProbe = (pid: number) => boolean;

export type LockOutcome =
  | { readonly ok: true; readonly path: string; release(): void }
  | { readonly ok: false; readonly path: string; readonly pid: number };

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a lock file names, or undefined when there is none or it names nothing readable. */
function holderOf(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number(/^(\d+)\n/.exec(text)?.[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * The pid of the live server holding this data directory's lock, or undefined when none runs. A lock naming this
 * very process counts as held by nobody else: in a container the restarted server often gets the dead one's pid.
 */
export function lockHolder(dataDir: string, alive: ProcessProbe = processAlive): number | undefined {
  const pid = holderOf(join(dataDir, LOCK_FILE));
  return pid !== undefined && pid !== process.pid && alive(pid) ? pid : undefined;
}

/**
 * Takes the data directory's lock for `pid`, taking over a stale one; refuses (with the holder's pid) while a live
 * process holds it. `release` removes the file only while it still names `pid`.
 */
export function takeLock(
  dataDir: string,
  alive: ProcessProbe = processAlive,
  pid = process.pid,
): LockOutcome {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const mine = `${path}.${pid}`;
  writeFileSync(mine, `${pid}\n`, { mode: 0o644 });
  try {
    // Bounded: each pass either takes the lock, meets a live holder, or moves one stale file away.
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(mine, path);
        return { ok: true, path, release: () => releaseLock(path, pid) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = holderOf(path);
      if (holder !== undefined && holder !== pid && alive(holder)) return { ok: false, path, pid: holder };
      moveStale(path, `${path}.stale-${pid}`, holder, alive);
    }
    throw new Error(`could not take ${path}: it kept changing under this process`);
  } finally {
    unlinkSync(mine);
  }
}

/**
 * Moves a stale lock out of the way by renaming it to a private name first, then checks what was moved: two
 * servers starting over the same stale lock at once could otherwise each delete the lock the other just took.
 * If the file moved names a live process other than the stale one, it is put back (link fails if a third process
 * took the name meanwhile, and that one then holds the lock).
 */
function moveStale(path: string, aside: string, stale: number | undefined, alive: ProcessProbe): void {
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = holderOf(aside);
  if (moved !== stale && moved !== undefined && alive(moved)) {
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

function releaseLock(path: string, pid: number): void {
  if (holderOf(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
