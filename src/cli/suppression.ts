import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { Suppression } from '../suppression/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { EXIT, emit, wholeNumber, writeLine, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd suppression list|add|remove|import|export`: the tenant's suppression list (docs/bounces.md). */

const line = (s: Suppression) =>
  `${s.address}\t${s.domain === undefined ? 'all domains' : `only ${s.domain}`}\t${s.reason}\t${s.source}\t${s.createdAt}${s.expiresAt ? `\tuntil ${s.expiresAt}` : ''}\t${s.evidence}`;

/** An entry as JSON output shows it: the tenant left out, the scope null for the whole tenant. */
const asJson = ({ tenantId: _t, domain, ...rest }: Suppression) => ({ ...rest, domain: domain ?? null });

const invalid = (message: string) => new AppError('validation_failed', message);

function readCsv(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError(
      'bad_request',
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined)
    throw new AppError('bad_request', 'No standard input: give the file with --file.');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerSuppression(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const cmd = program
    .command('suppression')
    .description("manage a tenant's suppression list: recipients the gateway refuses at RCPT");
  cmd
    .command('list')
    .description('list suppressed addresses, newest first, with the total')
    .option('--tenant <name>', 'tenant')
    .option('--search <text>', 'only addresses containing this text')
    .option('--limit <n>', 'entries per page', wholeNumber('--limit', 1, 100_000), 100)
    .option('--offset <n>', 'entries to skip', wholeNumber('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (options: { tenant?: string; search?: string; limit: number; offset: number }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const page = await s.suppressions.list(tenant.id, {
          ...(options.search !== undefined ? { contains: options.search } : {}),
          limit: options.limit,
          offset: options.offset,
        });
        const items = page.items.map(asJson);
        emit(io, globals(), { total: page.total, suppressions: items }, () =>
          [
            ...page.items.map(line),
            `${page.total} suppressed${options.search !== undefined ? ` matching "${options.search}"` : ''}; showing ${page.items.length} from ${options.offset}.`,
          ].join('\n'),
        );
      });
    });
  cmd
    .command('add <address>')
    .description('suppress an address until it is removed')
    .requiredOption('--why <text>', 'why (kept as the evidence and in the audit trail)')
    .option('--domain <name>', 'only for mail of this sender domain of the tenant (default: every domain)')
    .option('--tenant <name>', 'tenant')
    .action(async (address: string, options: { tenant?: string; why: string; domain?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const added = await s.suppressions.add(tenant.id, {
          address,
          actor: 'cli',
          source: 'cli',
          why: options.why,
          ...(options.domain !== undefined ? { domain: options.domain } : {}),
        });
        if (!added.ok) throw invalid(added.error);
        const entry = asJson(added.value);
        emit(
          io,
          globals(),
          entry,
          () =>
            `Suppressed ${entry.address} for tenant ${tenant.name}${entry.domain === null ? '' : `, for mail of ${entry.domain} only`}.`,
        );
      });
    });
  cmd
    .command('remove <address>')
    .description('remove an address from the list, so mail to it is accepted again')
    .requiredOption('--why <text>', 'why (kept in the audit trail)')
    .option('--domain <name>', "the entry scoped to this sender domain (default: the whole tenant's entry)")
    .option('--tenant <name>', 'tenant')
    .action(async (address: string, options: { tenant?: string; why: string; domain?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const removed = await s.suppressions.remove(tenant.id, address, 'cli', options.why, options.domain);
        if (!removed.ok) throw invalid(removed.error);
        if (!removed.value)
          throw new AppError(
            'not_found',
            `${address} is not on the suppression list${options.domain === undefined ? '' : ` for ${options.domain}`}.`,
          );
        emit(io, globals(), { removed: address }, () => `Removed ${address} from the suppression list.`);
      });
    });
  cmd
    .command('import')
    .description('add the addresses of a CSV file with a header row naming an "address" column')
    .option('--file <path>', 'the CSV file (default: standard input)')
    .option('--tenant <name>', 'tenant')
    .action(async (options: { tenant?: string; file?: string }) => {
      const text = options.file !== undefined ? readCsv(options.file) : await readStdin(io);
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const outcome = await s.suppressions.importCsv(tenant.id, text, 'cli');
        if (!outcome.ok) throw invalid(outcome.error);
        const o = outcome.value;
        for (const p of o.problems) writeLine(io.stderr, `line ${p.line}: ${p.message}`);
        emit(
          io,
          globals(),
          o,
          () =>
            `Added ${o.added}; ${o.unchanged} already suppressed or expired; ${o.problems.length} rows skipped.`,
        );
        if (o.problems.length > 0) io.setOutcome?.(EXIT.invalid);
      });
    });
  cmd
    .command('action [choice]')
    .description('show or set what the gateway does with a suppressed recipient: refuse (at RCPT) or drop')
    .option('--tenant <name>', 'tenant')
    .action(async (choice: string | undefined, options: { tenant?: string }) => {
      if (choice !== undefined && choice !== 'refuse' && choice !== 'drop') {
        throw invalid(`The action is refuse or drop, not "${choice}".`);
      }
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        if (choice !== undefined) await s.suppressions.setAction(tenant.id, choice, 'cli');
        const action = await s.suppressions.action(tenant.id);
        emit(io, globals(), { action }, () =>
          action === 'refuse'
            ? `Tenant ${tenant.name}: suppressed recipients are refused at RCPT.`
            : `Tenant ${tenant.name}: suppressed recipients are accepted and dropped, with an event each.`,
        );
      });
    });
  cmd
    .command('export')
    .description('write every entry in force as CSV to standard output')
    .option('--tenant <name>', 'tenant')
    .action(async (options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        for await (const chunk of s.suppressions.exportCsv(tenant.id)) io.stdout.write(chunk);
      });
    });
}
