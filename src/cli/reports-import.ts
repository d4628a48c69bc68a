import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { IngestOutcome } from '../reports/index.ts';
import { emit, EXIT, writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { progressBar } from './progress-bar.ts';
import { resolveTenant, withServices } from './session.ts';
import { processStopSignal, stoppedExitCode } from './stop-signal.ts';

/**
 * The names read while walking a folder: what reporters send (XML, gzip, zip, JSON, a message, an mbox). A README,
 * a LICENSE or an XML schema beside the reports is skipped with a line; a file named on the command line is always
 * read.
 */
const REPORT_NAME = /\.(xml|gz|zip|json|eml|msg|mbox|mbx)$/i;

interface InputFile {
  readonly path: string;
  readonly name: string;
  readonly size: number;
}

/** Every regular file under the paths given, folders walked in name order, hidden entries skipped. */
export function expandPaths(
  cwd: string,
  paths: readonly string[],
): { files: InputFile[]; skipped: string[] } {
  const files: InputFile[] = [];
  const skipped: string[] = [];
  const visit = (path: string, named: boolean) => {
    const stat = statSync(path);
    const name = relative(cwd, path) || path;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort())
        if (!entry.startsWith('.')) visit(join(path, entry), false);
    } else if (stat.isFile()) {
      if (named || REPORT_NAME.test(path)) files.push({ path, name, size: stat.size });
      else skipped.push(name);
    }
  };
  for (const p of paths) {
    try {
      visit(resolve(cwd, p), true);
    } catch (error) {
      throw new AppError('not_found', `Cannot read ${p}: ${(error as Error).message}`);
    }
  }
  return { files, skipped };
}

async function* counted(path: string, advance: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    advance(chunk.length);
    yield chunk;
  }
}

function summary(files: number, all: readonly IngestOutcome[]): string {
  const count = (status: IngestOutcome['status']) => all.filter((o) => o.status === status).length;
  const repeated = all.filter((o) => o.status === 'quarantined' && o.repeated).length;
  return `${files} files: ${count('stored')} reports stored, ${count('duplicate')} duplicates, ${count('quarantined')} quarantined${repeated > 0 ? ` (${repeated} of them already were)` : ''}.`;
}

export function registerReportsImport(reports: Command, io: CliIo, globals: () => GlobalOptions): void {
  reports
    .command('import <paths...>')
    .description('import reports from files, folders or mbox files (XML, JSON, gzip, zip, .eml, mbox)')
    .option(
      '--tenant <name>',
      "attribute to this tenant's domains (default: by policy domain, see docs/reports.md)",
    )
    .option(
      '--trust-reporters',
      "vouch for the reporters of these files: their reports count as verified (operator). Without it, only whole messages with a DKIM signature of the reporter's domain are verified; the rest are stored as unverified, which the autopilot ignores",
    )
    .action(async (paths: string[], flags: { tenant?: string; trustReporters?: boolean }) => {
      // Ctrl-C ends the import between two inputs: each report is stored whole or not at all, so a re-run
      // stores exactly what is missing. A second Ctrl-C exits at once, still leaving no report half-visible.
      const asked: { signal: string | null } = { signal: null };
      void (io.stopSignal ?? processStopSignal()).then((signal) => (asked.signal = signal));
      await withServices(io, globals(), async (s) => {
        const tenant = flags.tenant === undefined ? null : await resolveTenant(s, io, flags.tenant);
        const { files, skipped } = expandPaths(io.cwd, paths);
        for (const name of skipped) writeLine(io.stderr, `skipped ${name}: not a report file name`);
        const bar = progressBar(
          io.stderr,
          files.reduce((sum, f) => sum + f.size, 0),
        );
        const results: Array<{ file: string; outcomes: readonly IngestOutcome[] }> = [];
        try {
          for (const file of files) {
            if (asked.signal !== null) break;
            bar.label(file.name);
            const result = await s.reports.ingest({
              source: counted(file.path, (n) => bar.advance(n)),
              via: 'import',
              tenantId: tenant?.id ?? null,
              name: file.name,
              trustReporters: flags.trustReporters === true,
            });
            results.push({ file: file.name, outcomes: result.outcomes });
          }
        } finally {
          bar.done();
        }
        const all = results.flatMap((r) => r.outcomes);
        // A signal after the last input changes nothing: everything was imported.
        const stopping = results.length < files.length ? asked.signal : null;
        emit(
          io,
          globals(),
          { files: results, skipped, stopped: stopping !== null, remaining: files.length - results.length },
          () => {
            const lines = [summary(results.length, all)];
            const unverified = all.filter((o) => o.status === 'stored' && o.trust === 'unverified').length;
            if (unverified > 0)
              lines.push(
                `  ${unverified} stored as unverified (no DKIM signature of the reporter's domain): the DMARC autopilot ignores them; --trust-reporters vouches for them.`,
              );
            for (const o of all) {
              if (o.status === 'quarantined')
                lines.push(
                  `  quarantined ${o.path}: ${o.message} (id ${o.quarantineId}${o.repeated ? ', already quarantined' : ''})`,
                );
            }
            return lines.join('\n');
          },
        );
        if (stopping !== null) {
          writeLine(
            io.stderr,
            `senderd: stopped by ${stopping} after ${results.length} of ${files.length} files; every report read is stored whole, and the same command again imports the rest.`,
          );
          io.setOutcome?.(stoppedExitCode(stopping));
        } else if (all.length > 0 && !all.some((o) => o.status !== 'quarantined')) {
          writeLine(
            io.stderr,
            'senderd: nothing was imported (see the quarantine: senderd reports quarantine --all, or reports quarantine <id> --all)',
          );
          io.setOutcome?.(EXIT.nothingImported);
        }
      });
    });
}
