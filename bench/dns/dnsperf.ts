/** Runs dnsperf (Debian) and reads its summary; with `verbose`, also every answer's latency for percentiles. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PerfResult {
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly qps: number;
  readonly averageLatencyMs: number;
  readonly rcodes: string;
  /** Latency percentiles (ms) from per-query lines; only in verbose runs. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export interface PerfOptions {
  readonly port: number;
  readonly queryFile: string;
  readonly seconds: number;
  readonly clients: number;
  readonly outstanding: number;
  /** Cap on queries per second (dnsperf -Q); none means as fast as the server answers. */
  readonly maxQps?: number;
  readonly verbose?: boolean;
  readonly cpu: number | null;
}

export function runDnsperf(o: PerfOptions): Promise<PerfResult> {
  const args = ['-s', '127.0.0.1', '-p', String(o.port), '-d', o.queryFile, '-l', String(o.seconds)];
  args.push('-c', String(o.clients), '-q', String(o.outstanding), '-t', '2');
  if (o.maxQps !== undefined) args.push('-Q', String(o.maxQps));
  if (o.verbose === true) args.push('-v');
  const argv = o.cpu === null ? ['dnsperf', ...args] : ['taskset', '-c', String(o.cpu), 'dnsperf', ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const latencies: number[] = [];
  let summary = '';
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    // Verbose lines: "> NOERROR name TYPE 0.000123" (the last field is the latency in seconds).
    if (line.startsWith('> ')) {
      const latency = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(latency)) latencies.push(latency * 1000);
    } else summary += line + '\n';
  });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`dnsperf exited ${code}: ${errors}${summary}`));
      const num = (re: RegExp) => Number(re.exec(summary)?.[1] ?? NaN);
      latencies.sort((a, b) => a - b);
      const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
      resolve({
        sent: num(/Queries sent:\s+(\d+)/),
        completed: num(/Queries completed:\s+(\d+)/),
        lost: num(/Queries lost:\s+(\d+)/),
        qps: num(/Queries per second:\s+([\d.]+)/),
        averageLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        rcodes: /Response codes:\s+(.*)/.exec(summary)?.[1] ?? '',
        ...(latencies.length > 0 ? { p50Ms: pick(0.5), p99Ms: pick(0.99) } : {}),
      });
    });
  });
}
