/** Running independent tools (dig, named-checkzone, python3 -c ...) from tests, with a time limit. */
import { execFile } from 'node:child_process';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit (the test asserts on `code`). */
export function run(
  command: string,
  args: readonly string[],
  options: {
    input?: string;
    timeoutMs?: number;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
  } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      {
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
        cwd: options.cwd,
        env: options.env,
        uid: options.uid,
        gid: options.gid,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`${command} failed to run: ${error.message}`));
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** The system Python with Debian's python3-dkim and python3-dnspython (not the pyenv one first on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
