/**
 * Issue 15, item 1: `senderd reports import` of the whole DMARC corpus, run as a real child process and interrupted
 * with SIGINT at random points, then run again, always ends with exactly what one clean import stores: every report
 * whole or not at all, none half-loaded, none counted as a duplicate of a half-loaded copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/index.ts';
import { BIN } from '../support/process.ts';
import { CORPUS, tempDir, testConfig } from '../support/node.ts';

const REPORTS = fileURLToPath(new URL('dmarc-reports', CORPUS));
const RUNS = Number(process.env.INTERRUPT_RUNS ?? 20);
// The corpus's main policy domains; reports for others are quarantined, the same way in every run.
const DOMAINS = ['example.com', 'example.net', 'example.org', 'example.de', 'domain.de', 'stalw.art'];

function flags(dir: string): string[] {
  return [
    `dataDir=${dir}`,
    `domains.publicSuffixList=${fileURLToPath(new URL('psl/public_suffix_list.dat', CORPUS))}`,
    'reports.reverseDns.enabled=false',
  ].flatMap((s) => ['--set', s]);
}

/** The CLI in-process (the same code as the child process, without its start-up time). */
async function cli(dir: string, argv: readonly string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli([...flags(dir), ...argv], {
    env: {},
    cwd: dir,
    stdout: new PassThrough().resume(),
    stderr,
    stopSignal: new Promise(() => undefined),
  });
  return { code, err };
}

/** A data directory with a tenant and the corpus's main domains (not verified: --tenant attributes). */
async function prepared(dirs: Array<{ remove(): void }>): Promise<string> {
  const made = tempDir('senderd-interrupt-');
  dirs.push(made);
  const dir = made.path;
  testConfig(dir);
  for (const argv of [['tenant', 'add', 'acme'], ...DOMAINS.map((d) => ['domain', 'add', d])])
    assert.equal((await cli(dir, argv)).code, 0, argv.join(' '));
  return dir;
}

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  /** Milliseconds from the first "skipped" line (the import has begun) to the exit. */
  readonly importMs: number;
}

/** `senderd reports import <corpus> --tenant acme`, sent SIGINT `afterMs` after the import began (never if null). */
function importCorpus(dir: string, afterMs: number | null): Promise<Run> {
  const child = spawn(BIN, [...flags(dir), 'reports', 'import', REPORTS, '--tenant', 'acme'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let began = 0;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (began === 0 && stderr.includes('skipped ')) {
      began = performance.now();
      if (afterMs !== null) setTimeout(() => child.kill('SIGINT'), afterMs);
    }
  });
  return new Promise((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ code, signal, stderr, importMs: performance.now() - began }),
    ),
  );
}

/** What the store holds, as figures a person would compare (duplicate counters differ by design: see below). */
function totals(dir: string): Record<string, unknown> {
  const db = new DatabaseSync(join(dir, 'senderd.db'), { readOnly: true });
  try {
    const one = (sql: string) => db.prepare(sql).get() as Record<string, unknown>;
    return {
      reports: db
        .prepare(
          'select kind, status, count(*) n, sum(record_count) r, sum(message_count) m from reports group by kind, status order by kind, status',
        )
        .all(),
      dedupKeys: (
        db.prepare('select dedup_key from reports order by dedup_key').all() as Array<{ dedup_key: string }>
      )
        .map((r) => r.dedup_key)
        .join(','),
      records: one('select count(*) n, sum(count) c from report_records'),
      daily: one(
        'select sum(reports) r, sum(messages) m, sum(dmarc_pass) p, sum(disposition_reject) j, sum(tls_successful) t, sum(failure_reports) f from report_daily',
      ),
      sources: one('select count(*) n, sum(messages) m, sum(dmarc_pass) p from report_daily_sources'),
      selectors: one('select count(*) n, sum(messages) m from report_daily_selectors'),
      // A re-run counts what the first run stored as duplicates; the reports and messages per reporter must match.
      reporters: one('select sum(reports) r, sum(messages) m, sum(malformed) x from report_daily_reporters'),
      failures: one('select count(*) n from failure_reports'),
      quarantine: one('select count(*) n from report_quarantine'),
    };
  } finally {
    db.close();
  }
}

test(`an import interrupted with SIGINT at ${RUNS} random points, then re-run, stores exactly one clean import`, async (t) => {
  const dirs: Array<{ remove(): void }> = [];
  t.after(() => dirs.forEach((d) => d.remove()));
  const base = await prepared(dirs);
  const copy = () => {
    const dir = tempDir('senderd-interrupt-');
    dirs.push(dir);
    cpSync(base, dir.path, { recursive: true });
    return dir.path;
  };
  const cleanDir = copy();
  const clean = await importCorpus(cleanDir, null);
  assert.equal(clean.code, 0, clean.stderr);
  const expected = totals(cleanDir);
  assert.ok(JSON.stringify(expected).includes('"status":"complete"'), JSON.stringify(expected));
  assert.doesNotMatch(JSON.stringify(expected), /loading/);

  let stoppedInside = 0;
  for (let i = 0; i < RUNS; i++) {
    const dir = copy();
    const afterMs = Math.random() * clean.importMs;
    const interrupted = await importCorpus(dir, afterMs);
    const context = `run ${i}, SIGINT ${afterMs.toFixed(0)} ms in: exit ${interrupted.code}\n${interrupted.stderr}`;
    if (interrupted.code === 130) {
      const said = /stopped by SIGINT after (\d+) of (\d+) files/.exec(interrupted.stderr);
      assert.ok(said !== null, context);
      if (Number(said[1]) < Number(said[2])) stoppedInside++;
      // Stopped at a report boundary: nothing is left loading.
      assert.doesNotMatch(JSON.stringify(totals(dir).reports), /loading/, context);
    } else if (interrupted.signal === 'SIGINT') {
      // The signal came while Node itself was exiting, after the command had returned (no JavaScript runs then):
      // the import must be complete.
      assert.deepEqual(totals(dir), expected, context);
    } else assert.equal(interrupted.code, 0, context); // the signal came after the last file
    const rerun = await cli(dir, ['reports', 'import', REPORTS, '--tenant', 'acme']);
    assert.equal(rerun.code, 0, `${context}\nre-run:\n${rerun.err}`);
    assert.deepEqual(totals(dir), expected, context);
  }
  // The random points must have fallen inside the import, or the test proved nothing.
  assert.ok(stoppedInside >= RUNS / 4, `only ${stoppedInside} of ${RUNS} runs stopped mid-import`);
});
