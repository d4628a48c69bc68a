/** Runs h2load (nghttp2's load generator) over HTTP/1.1 and TLS, and reads its summary. */
import { run } from '../../test/support/tools.ts';

export interface LoadResult {
  readonly seconds: number;
  /** Requests per second that succeeded. */
  readonly rate: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errored: number;
  /** Responses with a 3xx status. */
  readonly redirects: number;
  readonly protocol: string;
}

export async function h2load(options: {
  port: number;
  host: string;
  clients: number;
  cpu: number | null;
  /** Keep-alive for this many seconds; or, with `requests`, that many requests each on a new connection. */
  seconds?: number;
  requests?: number;
  /** The request path (default `/`). */
  path?: string;
  /** A file of request URLs, one a line, that each connection requests in turn (instead of `path`). */
  inputFile?: string;
}): Promise<LoadResult> {
  const args = [
    '--h1',
    '-t',
    '1',
    '-c',
    String(options.clients),
    `--connect-to=127.0.0.1:${options.port}`,
    ...(options.requests !== undefined
      ? // h2load reconnects after each closed connection in -n mode only (in -D mode it never stops).
        ['-n', String(options.requests), '-H', 'Connection: close']
      : ['-D', String(options.seconds ?? 10), '--warm-up-time=1']),
    ...(options.inputFile !== undefined
      ? ['-i', options.inputFile]
      : [`https://${options.host}${options.path ?? '/'}`]),
  ];
  const argv =
    options.cpu === null ? ['h2load', ...args] : ['taskset', '-c', String(options.cpu), 'h2load', ...args];
  const r = await run(argv[0]!, argv.slice(1), { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`h2load failed (${r.code}): ${r.stderr || r.stdout}`);
  const finished = /finished in ([\d.]+)(ms|s), ([\d.]+) req\/s/.exec(r.stdout);
  const requests =
    /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(r.stdout);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx/.exec(r.stdout);
  if (finished === null || requests === null || codes === null)
    throw new Error(`unexpected h2load output:\n${r.stdout}`);
  return {
    seconds: Number(finished[1]) / (finished[2] === 'ms' ? 1000 : 1),
    rate: Number(finished[3]),
    succeeded: Number(requests[1]),
    failed: Number(requests[2]),
    errored: Number(requests[3]),
    redirects: Number(codes[2]),
    protocol: /TLS Protocol: (\S+)/.exec(r.stdout)?.[1] ?? '?',
  };
}
