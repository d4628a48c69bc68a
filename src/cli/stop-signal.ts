/**
 * SIGTERM and SIGINT as a promise, for commands that stop at a safe point (the server drains; an import finishes
 * the report it is loading). The handlers stay for the life of the process: a signal that comes after the work is
 * done (while the store closes) is then no kill either. A second signal means "now": exit 130 at once.
 */
export function processStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.removeListener('SIGTERM', onTerm);
      process.removeListener('SIGINT', onInt);
      process.once(signal, () => process.exit(130));
      resolve(signal);
    };
    const onTerm = () => on('SIGTERM');
    const onInt = () => on('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** The exit status of a process stopped by `signal` (128 + its number), as shells report it. */
export function stoppedExitCode(signal: string): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
