/**
 * What the benchmark must undo if it ends early (an error, Ctrl-C, a SIGTERM): child processes that would outlive
 * it (Postfix's master runs in a process group of its own, out of reach of the terminal's Ctrl-C) and temporary
 * directories. Each start registers its undo and withdraws it once it has stopped in the ordinary way.
 */
import { tempDir, type TestDir } from '../../test/support/node.ts';

const pending = new Set<() => void>();
let hooked = false;

function runPending(): void {
  // Latest first: processes stop before the directories they write into go.
  for (const undo of [...pending].reverse()) {
    try {
      undo();
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** Runs `undo` (synchronously) if the process exits before the returned function is called. */
export function undoOnExit(undo: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', runPending);
    // Node's default for these signals ends the process without running its exit handlers.
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
  }
  pending.add(undo);
  return () => pending.delete(undo);
}

/** A temporary directory that goes also when the benchmark ends early. */
export function benchDir(prefix: string): TestDir {
  const dir = tempDir(prefix);
  const forget = undoOnExit(() => dir.remove());
  return {
    path: dir.path,
    remove: () => {
      dir.remove();
      forget();
    },
  };
}
