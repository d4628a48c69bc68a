/** Runs the CLI in-process against a config file or a data directory, collecting what it writes. */
import { Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.ts';
import { CORPUS } from './node.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A `senderd -c <configPath> ...` runner; `start` stops at once unless `stopSignal` says otherwise. */
export function cliRunner(configPath: string, cwd: string) {
  return async (
    args: readonly string[],
    options: { stdin?: string; stopSignal?: Promise<string> } = {},
  ): Promise<CliResult> => {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runCli(['-c', configPath, ...args], {
      env: {},
      cwd,
      stdout,
      stderr,
      stdin: Readable.from([options.stdin ?? '']),
      stopSignal: options.stopSignal ?? Promise.resolve('SIGTERM'),
    });
    return { code, out: stdout.text, err: stderr.text };
  };
}

/**
 * A `senderd -s dataDir=<dir> -s ... <argv>` runner with the corpus' Public Suffix List and `set` as more flags
 * (the directory's key file must exist, see testConfig); `start` runs until the process ends.
 */
export function cliInDataDir(dir: string, set: readonly string[] = []) {
  return settingsRunner(dir, [
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
    ...set,
  ]);
}

/**
 * A `senderd -s dataDir=<dir> -s <setting> ... <argv>` runner with no config file, in `dir`, that never gets a
 * stop signal: the in-process CLI as the report and DMARC tests drive it.
 */
export function settingsRunner(dir: string, settings: readonly string[]) {
  const flags = [`dataDir=${dir}`, ...settings].flatMap((s) => ['-s', s]);
  return async (...argv: string[]): Promise<CliResult> => {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runCli([...flags, ...argv], {
      env: {},
      cwd: dir,
      stdout,
      stderr,
      stopSignal: new Promise(() => undefined),
    });
    return { code, out: stdout.text, err: stderr.text };
  };
}
