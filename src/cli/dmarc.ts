import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import { GUARD_WINDOW_DAYS, LADDER, type DmarcView, type PolicyImpact } from '../dmarc/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, keyValues, type CliIo, type GlobalOptions } from './io.ts';

function describeView(v: DmarcView): string {
  const reading = (r: DmarcView['readings']['rfc7489'], what: string) =>
    r === null
      ? `${what}: (unreadable)`
      : `${what}: ${r.applied}${r.percent < 100 ? ` for ${r.percent}%, ${r.applied === 'reject' ? 'quarantine' : 'none'} for the rest` : ''}${r.testMode ? ' (t=y: testing)' : ''}`;
  const ladder = LADDER.map(
    (s) => `  ${s.index === v.step.index ? '▶' : ' '} ${String(s.index).padStart(2)}  ${s.label}`,
  ).join('\n');
  const decisions = v.decisions
    .slice(0, 5)
    .map(
      (d) =>
        `  ${d.at.slice(0, 16).replace('T', ' ')}  ${d.actor.padEnd(9)} ${d.action.padEnd(8)} ${d.fromStep}→${d.toStep}  ${d.reason}`,
    );
  return [
    `${v.domain}: ${v.step.label} (step ${v.step.index} of ${LADDER.length - 1})`,
    keyValues([
      ['record', v.record],
      ['receivers', `${reading(v.readings.rfc7489, 'RFC 7489')}; ${reading(v.readings.rfc9989, 'RFC 9989')}`],
      [
        'autopilot',
        v.autopilot.enabled
          ? `on (window ${v.autopilot.windowDays} days, target step ${v.autopilot.targetStep})`
          : 'off',
      ],
      [
        'calendar',
        v.schedule.length === 0
          ? '(none)'
          : v.schedule.map((s) => `${s.at.slice(0, 10)} → ${s.step}`).join(', '),
      ],
      [
        'BIMI',
        v.bimi.configured
          ? v.bimi.published
            ? `published: ${v.bimi.record}`
            : 'configured; published once the policy is enforced (quarantine or reject 100%)'
          : '(not configured)',
      ],
    ]),
    '',
    'Ladder:',
    ladder,
    ...(decisions.length > 0 ? ['', 'Recent decisions:', ...decisions] : []),
  ].join('\n');
}

function describeImpact(i: PolicyImpact & { reportsAvailable: boolean }): string {
  if (!i.reportsAvailable) return `No report statistics yet: the impact of ${i.label} cannot be estimated.`;
  const lines = [
    `Impact of ${i.label} on ${i.from.slice(0, 10)} – ${i.to.slice(0, 10)}: ${i.messages} messages, ${i.failing} failing DMARC.`,
    `  RFC 7489 receivers: quarantine ${i.rfc7489.quarantine}, reject ${i.rfc7489.reject}`,
    `  RFC 9989 receivers: quarantine ${i.rfc9989.quarantine}, reject ${i.rfc9989.reject}`,
  ];
  if (i.sources.length > 0) lines.push('', '  failing  class      source');
  for (const s of i.sources.slice(0, 20))
    lines.push(
      `  ${String(s.failing).padStart(7)}  ${s.class.padEnd(9)}  ${s.ip}${s.reverseName ? ` (${s.reverseName})` : ''}`,
    );
  return lines.join('\n');
}

export function registerDmarc(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const dmarc = program.command('dmarc').description('DMARC policy and the slow rollout from none to reject');
  const withTenant = (c: Command) => c.option('--tenant <name>', 'tenant');

  withTenant(
    dmarc
      .command('show <domain>')
      .description('the step, the published record, both readings, the autopilot and decisions'),
  ).action(async (domain: string, o: { tenant?: string }) => {
    await withServices(io, globals(), async (s) => {
      const v = await s.dmarc.show((await resolveTenant(s, io, o.tenant)).id, domain);
      emit(io, globals(), v, () => describeView(v));
    });
  });

  withTenant(
    dmarc
      .command('step <domain> <to>')
      .description(
        'move the ladder: a step number (0–12), "forward" or "back"; the hosted record changes at once',
      )
      .option('--reason <text>', 'why, kept with the decision')
      .option(
        '--force',
        'step up even when it is several steps at once, legitimate-looking mail fails DMARC, or the domain is not verified',
      ),
  ).action(async (domain: string, to: string, o: { tenant?: string; reason?: string; force?: boolean }) => {
    const target = to === 'forward' || to === 'back' ? to : /^\d+$/.test(to) ? Number(to) : NaN;
    if (Number.isNaN(target))
      throw new AppError('validation_failed', `"${to}" is not a step: use 0–12, forward or back.`);
    await withServices(
      io,
      globals(),
      async (s) => {
        const tenantId = (await resolveTenant(s, io, o.tenant)).id;
        const v = await s.dmarc
          .step(tenantId, domain, target, o.reason, o.force === true)
          .catch(async (error: unknown) => {
            if (!(error instanceof AppError) || error.code !== 'confirmation_required') throw error;
            // The refusal shows the impact it is about, so the person decides on the figures.
            const impact = await s.dmarc.impact(
              tenantId,
              domain,
              GUARD_WINDOW_DAYS,
              typeof target === 'number' ? target : undefined,
            );
            throw new AppError(
              error.code,
              `${error.message}\n${describeImpact(impact)}\nAdd --force if this is what you want.`,
            );
          });
        emit(io, globals(), v, () => `Now at ${v.step.label}.\n${describeView(v)}`);
      },
      'served',
    );
  });

  withTenant(
    dmarc
      .command('set <domain>')
      .description('change DMARC options (third-party rua must be authorised, RFC 7489 §7.1)')
      .option('--sp <policy>', 'policy for existing subdomains (none|quarantine|reject|inherit)')
      .option('--np <policy>', 'policy for non-existent subdomains (none|quarantine|reject|unset)')
      .option('--adkim <mode>', 'r or s')
      .option('--aspf <mode>', 'r or s')
      .option(
        '--rua <address...>',
        'third-party aggregate report addresses (replaces the list; "none" clears it)',
      )
      .option(
        '--ruf <address...>',
        'failure report addresses (personal data: only if you need them; "none" clears)',
      )
      .option('--bimi-logo <url>', 'BIMI SVG logo (https)')
      .option('--bimi-vmc <url>', 'BIMI certificate (https)')
      .option('--no-bimi', 'remove BIMI'),
  ).action(async (domain: string, o: Record<string, unknown>) => {
    const list = (v: unknown) =>
      Array.isArray(v) ? (v.length === 1 && v[0] === 'none' ? [] : (v as string[])) : undefined;
    const input = {
      ...(o.sp !== undefined ? { sp: o.sp === 'inherit' ? null : o.sp } : {}),
      ...(o.np !== undefined ? { np: o.np === 'unset' ? null : o.np } : {}),
      ...(o.adkim !== undefined ? { adkim: o.adkim } : {}),
      ...(o.aspf !== undefined ? { aspf: o.aspf } : {}),
      ...(list(o.rua) !== undefined ? { extraRua: list(o.rua) } : {}),
      ...(list(o.ruf) !== undefined ? { ruf: list(o.ruf) } : {}),
      ...(o.bimi === false
        ? { bimi: null }
        : o.bimiLogo !== undefined
          ? { bimi: { location: o.bimiLogo, ...(o.bimiVmc ? { authority: o.bimiVmc } : {}) } }
          : {}),
    };
    await withServices(
      io,
      globals(),
      async (s) => {
        const v = await s.dmarc.update(
          (await resolveTenant(s, io, o.tenant as string | undefined)).id,
          domain,
          input,
        );
        emit(io, globals(), v, () => describeView(v));
      },
      'served',
    );
  });

  withTenant(
    dmarc
      .command('autopilot <domain> <on|off>')
      .description(
        'let report evidence step the ladder (advances one step per window; steps back on a failure spike)',
      )
      .option('--window <days>', 'evidence window and least time between steps', Number)
      .option('--target <step>', 'highest step the autopilot takes', Number)
      .option('--min-reporters <n>', 'distinct reporters needed', Number)
      .option('--min-messages <n>', 'messages needed in the window', Number),
  ).action(
    async (
      domain: string,
      state: string,
      o: { tenant?: string; window?: number; target?: number; minReporters?: number; minMessages?: number },
    ) => {
      if (state !== 'on' && state !== 'off') throw new AppError('validation_failed', 'Say on or off.');
      const autopilot = {
        enabled: state === 'on',
        ...(o.window !== undefined ? { windowDays: o.window } : {}),
        ...(o.target !== undefined ? { targetStep: o.target } : {}),
        ...(o.minReporters !== undefined ? { minReporters: o.minReporters } : {}),
        ...(o.minMessages !== undefined ? { minMessages: o.minMessages } : {}),
      };
      await withServices(
        io,
        globals(),
        async (s) => {
          const v = await s.dmarc.update((await resolveTenant(s, io, o.tenant)).id, domain, { autopilot });
          emit(io, globals(), v, () => describeView(v));
        },
        'served',
      );
    },
  );

  withTenant(
    dmarc
      .command('schedule <domain> [entries...]')
      .description('a rollout calendar: entries like 2026-12-01=1 2026-12-15=2 (date=step); none clears it'),
  ).action(async (domain: string, entries: string[], o: { tenant?: string }) => {
    const schedule =
      entries.length === 1 && entries[0] === 'none'
        ? []
        : entries.map((e) => {
            const m = /^(\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?)=(\d{1,2})$/.exec(e);
            if (m === null)
              throw new AppError('validation_failed', `"${e}" is not date=step (like 2026-12-01=3).`);
            return { at: m[1]!.length === 10 ? `${m[1]}T00:00:00Z` : m[1]!, step: Number(m[2]) };
          });
    await withServices(
      io,
      globals(),
      async (s) => {
        const v = await s.dmarc.update((await resolveTenant(s, io, o.tenant)).id, domain, { schedule });
        emit(io, globals(), v, () => describeView(v));
      },
      'served',
    );
  });

  withTenant(
    dmarc
      .command('impact <domain>')
      .description(
        'what the next step (or --step) would have quarantined or rejected in the last days, by source',
      )
      .option('--days <n>', 'how many days of reports', Number, 14)
      .option('--step <n>', 'the step to preview (default: the next)', Number),
  ).action(async (domain: string, o: { tenant?: string; days: number; step?: number }) => {
    await withServices(io, globals(), async (s) => {
      const i = await s.dmarc.impact((await resolveTenant(s, io, o.tenant)).id, domain, o.days, o.step);
      emit(io, globals(), i, () => describeImpact(i));
    });
  });
}
