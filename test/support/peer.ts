/**
 * A DNS peer program (NSD, Knot, Unbound) run in the foreground by a test: its output collected, and stopped by
 * SIGTERM, waiting until it has exited.
 */
import { spawn } from 'node:child_process';

export interface Peer {
  /** What it printed on stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

export function startPeer(command: string, args: readonly string[]): Peer {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
