/** `senderd alerts`: the tenant's alert settings, a pass run now, and a domain's reconciliation (issue 21). */
import type { Command } from 'commander';
import { ALERT_KINDS } from '../alerts/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, wholeNumber, type CliIo, type GlobalOptions } from './io.ts';

interface SetFlags {
  tenant?: string;
  on?: boolean;
  off?: boolean;
  disable?: string[];
  enableAll?: boolean;
  drop?: number;
  minDaily?: number;
  minSource?: number;
  confirmDays?: number;
  silentDays?: number;
  baselineDays?: number;
  digest?: string;
}

export function registerAlerts(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const alerts = program.command('alerts').description('alerts on change, the digest e-mail, reconciliation');

  alerts
    .command('settings', { isDefault: true })
    .description("show or change the tenant's alert settings")
    .option('--tenant <name>', 'tenant')
    .option('--on', 'switch alerts on')
    .option('--off', 'switch alerts off')
    .option('--disable <kind...>', `switch kinds off (${ALERT_KINDS.join(', ')})`)
    .option('--enable-all', 'switch every kind back on')
    .option('--drop <points>', 'DMARC pass rate drop that alerts, in points', wholeNumber('--drop', 1, 100))
    .option('--min-daily <n>', 'fewest messages a day judged', wholeNumber('--min-daily', 1, 10_000_000))
    .option(
      '--min-source <n>',
      'fewest messages a day of a source judged',
      wholeNumber('--min-source', 1, 10_000_000),
    )
    .option('--confirm-days <n>', 'days in a row a condition must hold', wholeNumber('--confirm-days', 1, 14))
    .option(
      '--silent-days <n>',
      'days without reports that make a reporter silent',
      wholeNumber('--silent-days', 2, 60),
    )
    .option('--baseline-days <n>', 'days that say what is normal', wholeNumber('--baseline-days', 3, 90))
    .option('--digest <frequency>', 'the digest e-mail: off, daily or weekly')
    .action(async (flags: SetFlags) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const input = {
          ...(flags.on === true ? { enabled: true } : flags.off === true ? { enabled: false } : {}),
          ...(flags.disable !== undefined
            ? { disabled: flags.disable }
            : flags.enableAll === true
              ? { disabled: [] }
              : {}),
          ...(flags.drop !== undefined ? { passRateDropPoints: flags.drop } : {}),
          ...(flags.minDaily !== undefined ? { minDailyMessages: flags.minDaily } : {}),
          ...(flags.minSource !== undefined ? { minSourceMessages: flags.minSource } : {}),
          ...(flags.confirmDays !== undefined ? { confirmDays: flags.confirmDays } : {}),
          ...(flags.silentDays !== undefined ? { silentDays: flags.silentDays } : {}),
          ...(flags.baselineDays !== undefined ? { baselineDays: flags.baselineDays } : {}),
          ...(flags.digest !== undefined ? { digest: flags.digest } : {}),
        };
        const view =
          Object.keys(input).length > 0
            ? await s.alerts.setSettings(tenant.id, input)
            : await s.alerts.settings(tenant.id);
        emit(io, globals(), view, () =>
          [
            `alerts            ${view.enabled ? 'on' : 'off'}`,
            `kinds off         ${view.disabled.length === 0 ? '(none)' : view.disabled.join(', ')}`,
            `pass rate drop    ${view.passRateDropPoints} points`,
            `volume floors     ${view.minDailyMessages} messages a day, ${view.minSourceMessages} per source`,
            `confirm           ${view.confirmDays} days in a row`,
            `silent reporter   after ${view.silentDays} days`,
            `baseline          ${view.baselineDays} days`,
            `digest            ${view.digest}`,
          ].join('\n'),
        );
      });
    });

  alerts
    .command('run')
    .description(
      'look for alerts now and send the digests that are due (the node does this every alerts.interval)',
    )
    .action(async () => {
      await withServices(io, globals(), async (s) => {
        const r = await s.alerts.runOnce();
        emit(
          io,
          globals(),
          r,
          () =>
            `${r.domains} domains looked at; ${r.fired} alerts fired, ${r.resolved} resolved, ${r.digests} digests sent.`,
        );
      });
    });

  alerts
    .command('reconcile <domain>')
    .description(
      'what the gateway delivered to each receiver against what its reports counted from our addresses',
    )
    .option('--tenant <name>', 'tenant')
    .option('--days <n>', 'complete UTC days', wholeNumber('--days', 1, 92), 14)
    .option('--to <day>', 'the last day (YYYY-MM-DD); default yesterday')
    .action(async (domain: string, flags: { tenant?: string; days: number; to?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const r = await s.alerts.reconciliation(tenant.id, domain, flags.days, flags.to);
        const pct = (v: number | null) => (v === null ? '-' : `${v}%`);
        emit(io, globals(), r, () =>
          [
            `${r.domain}, ${r.from} to ${r.to}: sent ${r.totals.sent}, seen ${r.totals.seen}, coverage ${pct(r.totals.coveragePercent)}, alarms ${r.totals.alarms}`,
            `SPF as receivers saw it: ${r.totals.spf.failPercent}% failing of ${r.totals.spf.messages}`,
            ...r.totals.dkim.map(
              (d) =>
                `DKIM ${d.selector}._domainkey.${d.signingDomain}: ${d.failPercent}% failing of ${d.messages}`,
            ),
            '',
            'day         receiver              sent   seen  coverage',
            ...r.rows.map(
              (x) =>
                `${x.day}  ${x.receiver.padEnd(20)} ${String(x.sent).padStart(5)}  ${String(x.seen).padStart(5)}  ${pct(x.coveragePercent).padStart(8)}${x.alarm ? `  ALARM: ${x.excess} more seen than sent` : ''}`,
            ),
          ].join('\n'),
        );
      });
    });
}
