import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Option, type Command } from 'commander';
import { AppError } from '../core/index.ts';
import type {
  DailyFigures,
  ReporterTrust,
  ReporterVerification,
  Window,
  WindowRequest,
} from '../reports/index.ts';
import { emit, keyValues, wholeNumber, type CliIo, type GlobalOptions } from './io.ts';
import { senderColumn, senderFixes } from './named-senders.ts';
import { registerReportsImport } from './reports-import.ts';
import { resolveTenant, withServices } from './session.ts';

const percent = (part: number, whole: number) =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function dayRow(d: Omit<DailyFigures, 'day'> & { day?: string }): string[] {
  return [
    d.day ?? 'total',
    String(d.messages),
    percent(d.dmarcPass, d.messages),
    percent(d.dkimAligned, d.messages),
    percent(d.spfAligned, d.messages),
    `${d.dispositionNone}/${d.dispositionQuarantine}/${d.dispositionReject}`,
    String(d.reports),
  ];
}

const parseDays = wholeNumber('--days', 1, 36_600);

/** One report's sender as checked: "dkim: google.com", "unverified", "legacy". */
function trustLabel(trust: ReporterTrust, verifiedDomain: string | null): string {
  return verifiedDomain === null || trust === 'unverified' || trust === 'legacy'
    ? trust
    : `${trust}: ${verifiedDomain}`;
}

/** A reporter's reports as checked: "yes (google.com by dkim)", "NO: 3 unverified", "mixed: 2 verified, 1 unverified". */
function verificationLabel(v: ReporterVerification): string {
  const parts = [
    v.verified > 0 ? `${v.verified} verified` : '',
    v.unverified > 0 ? `${v.unverified} unverified` : '',
    v.legacy > 0 ? `${v.legacy} legacy` : '',
  ].filter((p) => p !== '');
  switch (v.status) {
    case 'verified':
      return `yes (${v.verifiedAs.join(', ')})`;
    case 'unverified':
      return `NO: ${parts.join(', ')}`;
    case 'legacy':
      return `legacy (before verification)`;
    case 'mixed':
      return `mixed: ${parts.join(', ')}`;
    case 'none':
      return '-';
  }
}

interface WindowFlags {
  days?: number;
  from?: string;
  to?: string;
  all?: boolean;
  by: 'cover' | 'arrival';
}

/** The window options every statistics command takes (docs/reports.md "Windows"). */
function windowOptions(command: Command, byToo = true): Command {
  command
    .option('--days <n>', 'whole UTC days ending today (or ending --to); 30 by default', parseDays)
    .option('--from <day>', 'first day of the window, YYYY-MM-DD (UTC)')
    .option('--to <day>', 'last day of the window, YYYY-MM-DD (UTC); today by default')
    .option('--all', 'all time: from the first report stored to today');
  if (byToo) {
    command.addOption(
      new Option('--by <date>', 'place reports by the dates they cover, or the day they arrived')
        .choices(['cover', 'arrival'])
        .default('cover'),
    );
  }
  return command;
}

const windowOf = (f: WindowFlags): WindowRequest => ({
  days: f.days,
  from: f.from,
  to: f.to,
  all: f.all,
  basis: f.by,
});

/** The window in words: its days, and which date placed the reports in it. */
export function describeWindow(w: Window): string {
  return `${w.from} to ${w.to} (${w.days} days, by ${w.basis === 'cover' ? 'the dates reports cover' : 'arrival'})`;
}

/** An empty table, said in words: where it looked, and how to look elsewhere. */
function noReports(window: Window, what: string): string {
  const other = window.basis === 'cover' ? 'arrival' : 'cover';
  return `No reports ${describeWindow(window)}, so ${what}. Look elsewhere with --from/--to, --all, or --by ${other}; reports that matched no domain are in the quarantine.`;
}

/** The line under a capped table. */
const showing = (shown: number, total: number, what: string) =>
  shown < total ? `\nshowing ${shown} of ${total} ${what} (raise --limit for more)` : '';

/** Where inputs that matched no tenant are (exported for the import command's hint). */
export const UNATTRIBUTED_HINT =
  'Inputs that matched no tenant (no sender domain of any tenant) are listed with --all.';

export function registerReports(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const reports = program.command('reports').description('DMARC aggregate, TLS-RPT and failure reports');
  registerReportsImport(reports, io, globals);

  windowOptions(
    reports
      .command('summary <domain>')
      .description(
        'figures of a domain per day (per week or month over long windows): messages, DMARC pass, DKIM/SPF aligned pass, disposition',
      ),
  )
    .option('--tenant <name>', 'tenant')
    .action(async (name: string, flags: WindowFlags & { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const summary = await s.reportStats.summary(tenant.id, name, windowOf(flags));
        emit(io, globals(), summary, () => {
          const t = summary.totals;
          return [
            `${summary.domain}, ${describeWindow(summary.window)}`,
            keyValues([
              ['messages', String(t.messages)],
              ['DMARC pass', `${t.dmarcPass} (${percent(t.dmarcPass, t.messages)})`],
              ['DKIM aligned pass', `${t.dkimAligned} (${percent(t.dkimAligned, t.messages)})`],
              ['SPF aligned pass', `${t.spfAligned} (${percent(t.spfAligned, t.messages)})`],
              [
                'disposition',
                `none ${t.dispositionNone}, quarantine ${t.dispositionQuarantine}, reject ${t.dispositionReject}`,
              ],
              ['reports', String(t.reports)],
              ['TLS sessions', `${t.tlsSuccessful} successful, ${t.tlsFailed} failed`],
              ['failure reports', String(t.failureReports)],
            ]),
            '',
            summary.daily.length === 0
              ? noReports(summary.window, 'no figures')
              : table(
                  [summary.window.bucket, 'messages', 'dmarc', 'dkim', 'spf', 'none/q/rej', 'reports'],
                  summary.series.map(dayRow),
                ),
          ].join('\n');
        });
      });
    });

  windowOptions(
    reports
      .command('sources <domain>')
      .description(
        'sending sources of a domain: reverse name, class, named sender and the fix when it fails',
      ),
  )
    .option('--limit <n>', 'rows', wholeNumber('--limit', 1, 10_000), 50)
    .option('--tenant <name>', 'tenant')
    .option('--verified', 'figures from reports of verified reporters only (DKIM, reverse DNS or operator)')
    .action(
      async (name: string, flags: WindowFlags & { limit: number; tenant?: string; verified?: boolean }) => {
        await withServices(io, globals(), async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const { rows: sources, ...list } = await s.reportStats.sources(
            tenant.id,
            name,
            windowOf(flags),
            flags.limit,
            flags.verified === true,
          );
          emit(io, globals(), { sources, ...list }, () =>
            sources.length === 0
              ? flags.verified === true
                ? `No sources in reports of verified reporters ${describeWindow(list.window)}. Unverified and legacy reports are left out with --verified; without it they show.`
                : noReports(list.window, 'no sources')
              : table(
                  ['source', 'class', 'sender', 'reverse name', 'messages', 'dmarc', 'dkim', 'spf'],
                  sources.map((r) => [
                    r.sourceIp,
                    r.class,
                    senderColumn(r),
                    r.ptr === null ? '-' : r.ptr + (r.ptrVerified ? '' : ' (unverified)'),
                    String(r.messages),
                    percent(r.dmarcPass, r.messages),
                    percent(r.dkimAligned, r.messages),
                    percent(r.spfAligned, r.messages),
                  ]),
                ) +
                showing(sources.length, list.total, `sources, ${list.messages} messages in all`) +
                senderFixes(sources),
          );
        });
      },
    );

  windowOptions(
    reports
      .command('list <domain>')
      .description('the reports received for a domain, with who sent them (verified or not)'),
  )
    .option('--limit <n>', 'rows', wholeNumber('--limit', 1, 10_000), 100)
    .option('--tenant <name>', 'tenant')
    .action(async (name: string, flags: WindowFlags & { limit: number; tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const { rows, ...list } = await s.reportStats.reports(tenant.id, name, windowOf(flags), flags.limit);
        emit(io, globals(), { reports: rows, ...list }, () =>
          rows.length === 0
            ? noReports(list.window, 'none to list')
            : table(
                ['day', 'kind', 'reporter', 'report id', 'messages', 'via', 'sender', 'why'],
                rows.map((r) => [
                  r.day,
                  r.kind,
                  r.reporter,
                  r.externalId,
                  String(r.messages),
                  r.via,
                  trustLabel(r.trust, r.verifiedDomain),
                  r.trustReason ?? '',
                ]),
              ) + showing(rows.length, list.total, 'reports'),
        );
      });
    });

  reports
    .command('trust')
    .description(
      'trust stored reports as an operator: legacy ones (stored before reporter verification), and with --unverified also unverified ones; the autopilot then counts them',
    )
    .option('--tenant <name>', 'tenant')
    .option('--domain <name>', 'one domain only')
    .option('--reporter <name>', 'one reporter only (as `reports reporters` names it)')
    .option('--unverified', 'also reports stored as unverified')
    .action(async (flags: { tenant?: string; domain?: string; reporter?: string; unverified?: boolean }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const domainId =
          flags.domain === undefined ? null : (await s.domains.get(tenant.id, flags.domain)).id;
        const trusted = await s.reports.trustStored({
          tenantId: tenant.id,
          domainId,
          reporter: flags.reporter?.trim().toLowerCase() ?? null,
          includeUnverified: flags.unverified === true,
          actor: 'the command line',
        });
        emit(
          io,
          globals(),
          { trusted },
          () =>
            `${trusted} report${trusted === 1 ? '' : 's'} now trusted by an operator (${flags.unverified === true ? 'legacy and unverified' : 'legacy'}).`,
        );
      });
    });

  windowOptions(
    reports
      .command('reporters')
      .description(
        'the reporter scoreboard: reports, duplicates, malformed, late, gone silent (by the dates reports cover)',
      ),
    false,
  )
    .option('--domain <name>', 'one domain only')
    .option('--tenant <name>', 'tenant')
    .action(async (flags: Omit<WindowFlags, 'by'> & { domain?: string; tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const request = windowOf({ ...flags, by: 'cover' });
        const rows = await s.reportStats.scoreboard(tenant.id, flags.domain ?? null, request);
        emit(io, globals(), { reporters: rows }, () =>
          rows.length === 0
            ? `No reporters in this window (by the dates reports cover). Look elsewhere with --from/--to or --all; reports that matched no domain are in the quarantine.`
            : table(
                [
                  'reporter',
                  'verified',
                  'reports',
                  'messages',
                  'duplicates',
                  'malformed',
                  'late',
                  'last day',
                  'silent',
                ],
                rows.map((r) => [
                  r.reporter,
                  verificationLabel(r.verification),
                  String(r.reports),
                  String(r.messages),
                  String(r.duplicates),
                  String(r.malformed),
                  String(r.late),
                  r.lastDay ?? '-',
                  r.silent ? 'yes' : '',
                ]),
              ),
        );
      });
    });

  reports
    .command('quarantine [id]')
    .description('list refused inputs, or show one (--raw <file> writes its raw bytes)')
    .option('--raw <file>', 'write the raw bytes of entry <id> to this file')
    .option('--all', 'every tenant and unattributed input (operator view)')
    .option('--tenant <name>', 'tenant')
    .option('--limit <n>', 'rows', wholeNumber('--limit', 1, 1000), 100)
    .action(
      async (
        id: string | undefined,
        flags: { raw?: string; all?: boolean; tenant?: string; limit: number },
      ) => {
        await withServices(io, globals(), async (s) => {
          const tenantId = flags.all === true ? null : (await resolveTenant(s, io, flags.tenant)).id;
          if (id === undefined) {
            const { rows, total, truncated } = await s.reportStats.quarantine(tenantId, flags.limit);
            // Inputs that matched no tenant belong to none, so a tenant's list never shows them: say so.
            const apart =
              tenantId !== null && rows.length === 0
                ? (await s.reportStats.quarantine(null, 1)).total > 0
                : false;
            emit(io, globals(), { quarantine: rows, total, truncated }, () =>
              rows.length === 0
                ? `The quarantine is empty${tenantId === null ? '' : ' for this tenant'}.${apart ? ` ${UNATTRIBUTED_HINT}` : ''}`
                : table(
                    ['id', 'received', 'via', 'reason', 'reporter', 'bytes'],
                    rows.map((q) => [
                      q.id,
                      q.receivedAt,
                      q.via,
                      q.reason,
                      q.reporter ?? '-',
                      String(q.rawBytes),
                    ]),
                  ) + showing(rows.length, total, 'entries'),
            );
            return;
          }
          const entry = await s.reportStats.quarantineEntry(tenantId, id);
          if (entry === null)
            throw new AppError(
              'not_found',
              `No quarantine entry ${id}${tenantId === null ? '' : ' for this tenant'}.${tenantId === null ? '' : ` ${UNATTRIBUTED_HINT}`}`,
            );
          const { rawGzip, ...meta } = entry;
          if (flags.raw !== undefined) writeFileSync(resolve(io.cwd, flags.raw), gunzipSync(rawGzip));
          emit(io, globals(), meta, () =>
            keyValues(Object.entries(meta).map(([k, v]) => [k, v === null ? '-' : String(v)])),
          );
        });
      },
    );

  reports
    .command('purge')
    .description('delete failure reports past their retention time now (the server does this hourly)')
    .action(async () => {
      await withServices(io, globals(), async (s) => {
        const removed = await s.reports.purgeExpired();
        emit(io, globals(), { removed }, () => `Removed ${removed} expired failure reports.`);
      });
    });
}
