import { AppError, type AppErrorCode } from '../core/index.ts';

/** The process edges a command may touch, injected so tests can run the CLI in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Standard input, for commands that read a key from it (dkim import). */
  readonly stdin?: NodeJS.ReadableStream;
  /** Lets a command that succeeded still end with a non-zero code (a check that found errors). */
  readonly setOutcome?: (code: number) => void;
  /** Resolves when the process is asked to stop (SIGTERM, SIGINT). Defaults to the real signals. */
  readonly stopSignal?: Promise<string>;
}

/** Exit codes, documented in docs/cli.md. Scripts can rely on them. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalid: 3,
  notFound: 4,
  conflict: 5,
  config: 6,
  unavailable: 7,
  denied: 8,
  /** The command ran, and what it checked is wrong: `senderd check` found a record in error. */
  checkFailed: 9,
  /** The command ran, but could not decide now (a DNS timeout, SERVFAIL): try again. */
  checkUndecided: 10,
  /** `reports import`: every input was refused (see the quarantine); nothing is stored. */
  nothingImported: 11,
  /** A risky change needs `--force` (a DMARC step up that could reject legitimate mail). */
  confirm: 12,
  /**
   * `start` cannot listen: a port in use, a privileged port, an address the machine lacks. Not 7, which says
   * another senderd holds the data directory (issue 20): a script restarting a unit tells the two apart.
   */
  listenFailed: 13,
} as const;

export function exitCodeFor(code: AppErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'validation_failed':
    case 'invalid_domain':
    case 'weak_key':
    case 'invalid_key':
    case 'limit_exceeded':
    case 'payload_too_large':
      return EXIT.invalid;
    case 'not_found':
      return EXIT.notFound;
    case 'conflict':
      return EXIT.conflict;
    case 'confirmation_required':
      return EXIT.confirm;
    case 'config_invalid':
      return EXIT.config;
    case 'unavailable':
      return EXIT.unavailable;
    case 'listen_failed':
      return EXIT.listenFailed;
    case 'unauthorized':
    case 'forbidden':
      return EXIT.denied;
    case 'internal':
      return EXIT.internal;
  }
}

/** Global options every command understands. */
export interface GlobalOptions {
  config?: string;
  set: string[];
  json: boolean;
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Prints `value` as JSON for scripts, or calls `human` for people. */
export function emit(io: CliIo, globals: GlobalOptions, value: unknown, human: () => string): void {
  writeLine(io.stdout, globals.json ? JSON.stringify(value, null, 2) : human());
}

/** Aligned `key  value` lines. */
export function keyValues(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

/** An option parser for a whole number within bounds: a clear error (exit 3), never NaN or a silent default. */
export function wholeNumber(flag: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new AppError(
        'validation_failed',
        `${flag} must be a whole number from ${min} to ${max}, not "${text}".`,
      );
    return n;
  };
}
