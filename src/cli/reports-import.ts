import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { IngestOutcome } from '../reports/index.ts';
import { emit, writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { progressBar } from './progress-bar.ts';
import { resolveTenant, withServices } from './session.ts';

/** Every regular file under the paths given, folders walked in name order, hidden entries skipped. */
export function expandPaths(
  cwd: string,
  paths: readonly string[],
): Array<{ path: string; name: string; size: number }> {
  const out: Array<{ path: string; name: string; size: number }> = [];
  const visit = (path: string, base: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort())
        if (!entry.startsWith('.')) visit(join(path, entry), base);
    } else if (stat.isFile()) out.push({ path, name: relative(base, path) || path, size: stat.size });
  };
  for (const p of paths) {
    const full = resolve(cwd, p);
    try {
      visit(full, cwd);
    } catch (error) {
      throw new AppError('not_found', `Cannot read ${p}: ${(error as Error).message}`);
    }
  }
  return out;
}

async function* counted(path: string, advance: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    advance(chunk.length);
    yield chunk;
  }
}

export function registerReportsImport(reports: Command, io: CliIo, globals: () => GlobalOptions): void {
  reports
    .command('import <paths...>')
    .description('import reports from files, folders or mbox files (XML, JSON, gzip, zip, .eml, mbox)')
    .option(
      '--tenant <name>',
      "attribute to this tenant's domains (default: by policy domain, see docs/reports.md)",
    )
    .action(async (paths: string[], flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = flags.tenant === undefined ? null : await resolveTenant(s, io, flags.tenant);
        const files = expandPaths(io.cwd, paths);
        const bar = progressBar(
          io.stderr,
          files.reduce((sum, f) => sum + f.size, 0),
        );
        const results: Array<{ file: string; outcomes: readonly IngestOutcome[] }> = [];
        for (const file of files) {
          bar.label(file.name);
          const result = await s.reports.ingest({
            source: counted(file.path, (n) => bar.advance(n)),
            via: 'import',
            tenantId: tenant?.id ?? null,
            name: file.name,
          });
          results.push({ file: file.name, outcomes: result.outcomes });
        }
        bar.done();
        const all = results.flatMap((r) => r.outcomes);
        const count = (status: IngestOutcome['status']) => all.filter((o) => o.status === status).length;
        emit(io, globals(), { files: results }, () => {
          const lines = [
            `${files.length} files: ${count('stored')} reports stored, ${count('duplicate')} duplicates, ${count('quarantined')} quarantined.`,
          ];
          for (const o of all) {
            if (o.status === 'quarantined')
              lines.push(`  quarantined ${o.path}: ${o.message} (id ${o.quarantineId})`);
          }
          return lines.join('\n');
        });
        if (count('stored') === 0 && count('duplicate') === 0 && all.length > 0) {
          writeLine(
            io.stderr,
            'senderd: nothing was imported (see the quarantine: senderd reports quarantine --all, or reports quarantine <id> --all)',
          );
        }
      });
    });
}
