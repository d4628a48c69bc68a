/**
 * npm run bench:reports — DMARC report intake speed, each figure measured in its own child process (so each peak
 * RSS is its own) over the same bytes in the same run:
 * - a generated aggregate report of 500 MB, streamed from a temporary file: a bare streaming-tokenizer pass
 *   (saxes with no handlers, and our own tokenizer with no handlers) against our pipeline (unwrap, decode, parse,
 *   per-report sums, records handed to a repository that drops them), and the whole intake into SQLite;
 * - 10,000 small gzipped reports: gunzip + bare saxes against our pipeline, and the whole intake into SQLite;
 * - the dashboard: a domain with about a million report rows over 30 days, and the 30-day queries.
 * Set BENCH_REPORT_MB to change the size of the large report (default 500).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { smallReport, writeLargeReport } from './generate.ts';

interface Figure {
  readonly phase: string;
  readonly mb: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly records?: number;
  readonly extra?: Record<string, number>;
}

const here = fileURLToPath(new URL('./phase.ts', import.meta.url));

/**
 * Each phase runs with the V8 flag senderd itself runs with (bin/senderd, npm start): a young generation of at
 * most 8 MiB per semi-space. Without it Node 24 sizes the young generation by the machine's memory, and the peak
 * RSS of the whole intake measures V8's appetite, not senderd's (about 390 MiB against 290 MiB here).
 */
const NODE_FLAGS = ['--max-semi-space-size=8'];

function phase(name: string, ...args: string[]): Figure {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, here, name, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`phase ${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Figure;
}

const mbps = (f: Figure) => f.mb / f.seconds;
const best = (figures: Figure[]) => figures.reduce((a, b) => (mbps(b) > mbps(a) ? b : a));
const line = (label: string, f: Figure) =>
  `${label.padEnd(46)} ${mbps(f).toFixed(1).padStart(7)} MB/s  ${f.seconds.toFixed(1).padStart(6)} s  peak RSS ${String(f.peakRssMiB).padStart(4)} MiB`;

const dir = mkdtempSync(join(tmpdir(), 'senderd-bench-'));
try {
  const size = Number(process.env.BENCH_REPORT_MB ?? 500) * 1e6;
  const file = join(dir, 'large.xml');
  console.log(`generating a ${(size / 1e6).toFixed(0)} MB aggregate report in ${dir} ...`);
  const generated = await writeLargeReport(
    file,
    size,
    'example.com',
    Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400,
  );
  console.log(`  ${(statSync(file).size / 1e6).toFixed(1)} MB, ${generated.records} records\n`);

  // Interleaved, best of three: the machine is shared and its speed drifts; the best run is the least disturbed.
  const saxes: Figure[] = [];
  const tokenizer: Figure[] = [];
  const ours: Figure[] = [];
  for (let round = 0; round < 3; round++) {
    saxes.push(phase('saxes', file));
    tokenizer.push(phase('tokenizer', file));
    ours.push(phase('parse', file));
  }
  const [s, t, o] = [best(saxes), best(tokenizer), best(ours)];
  console.log('Large report (MB/s of uncompressed XML)');
  console.log(line('bare saxes pass (no handlers)', s));
  console.log(line('bare senderd tokenizer pass (no handlers)', t));
  console.log(line(`senderd pipeline (${o.records} records)`, o));
  console.log(
    `  ratio to bare saxes: ${(mbps(o) / mbps(s)).toFixed(2)}   ratio to bare senderd tokenizer: ${(mbps(o) / mbps(t)).toFixed(2)}`,
  );
  const ingest = phase('ingest', file, join(dir, 'ingest.db'));
  console.log(line('whole intake into SQLite (records + roll-ups)', ingest));

  console.log('\n10,000 small gzipped reports');
  const small = join(dir, 'small');
  mkdirSync(small);
  const today = Math.floor(Date.now() / 86_400_000) * 86_400;
  for (let i = 0; i < 10_000; i++) {
    const xml = smallReport('example.com', i, today - 86_400 * (1 + (i % 20)), 5 + (i % 20));
    writeFileSync(join(small, `${String(i).padStart(5, '0')}.xml.gz`), gzipSync(xml));
  }
  const smallBare = best([phase('small-bare', small), phase('small-bare', small)]);
  const smallOurs = best([phase('small-parse', small), phase('small-parse', small)]);
  const smallIngest = phase('small-ingest', small, join(dir, 'small.db'));
  console.log(line('gunzip + bare saxes pass', smallBare));
  console.log(line('senderd pipeline', smallOurs));
  console.log(`  ratio to gunzip + bare saxes: ${(mbps(smallOurs) / mbps(smallBare)).toFixed(2)}`);
  console.log(
    line(`whole intake into SQLite (${(10_000 / smallIngest.seconds).toFixed(0)} reports/s)`, smallIngest),
  );

  console.log('\nDashboard: one domain, 30 days, about a million report rows');
  const dash = phase('dashboard', join(dir, 'dashboard.db'));
  console.log(`  loaded ${dash.records} records in ${dash.seconds.toFixed(1)} s`);
  for (const [k, v] of Object.entries(dash.extra ?? {}))
    console.log(`  ${k.padEnd(36)} ${v.toFixed(1).padStart(8)} ms`);

  console.log(`\ntargets: >= 60 MB/s, ratio >= 0.5, peak RSS < 300 MiB (pipeline peak ${o.peakRssMiB} MiB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
