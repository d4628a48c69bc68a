import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * For a pass over every domain. SQLite answers synchronously, so `await`ing a store read never gives the event
 * loop a turn: a pass over a million domains held the node's DNS answers for minutes (bench:scale, issue 20). The
 * pass asks for one before every `every`-th item.
 */
export function turnEvery(every: number): () => Promise<void> | undefined {
  let n = 0;
  return () => (n++ % every === 0 ? nextTurn() : undefined);
}
