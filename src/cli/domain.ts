import type { Command } from 'commander';
import type { DomainSettingsInput, SenderDomain } from '../domains/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, keyValues, type CliIo, type GlobalOptions } from './io.ts';

interface SettingsFlags {
  tenant?: string;
  mode?: 'delegated' | 'self-hosted';
  bounceLabel?: string;
  clickLabel?: string;
  tracking?: boolean;
  spf?: string[];
  selectors?: string;
  clicks?: boolean;
  opens?: boolean;
  bulk?: boolean;
  feedbackId?: string;
}

/** The sending settings the flags name (docs/tracking.md); none: undefined, so nothing changes. */
function sendingFrom(flags: SettingsFlags): DomainSettingsInput['sending'] {
  const sending = {
    ...(flags.clicks !== undefined ? { clicks: flags.clicks } : {}),
    ...(flags.opens !== undefined ? { opens: flags.opens } : {}),
    ...(flags.bulk !== undefined ? { bulk: flags.bulk } : {}),
    ...(flags.feedbackId !== undefined
      ? { feedbackId: flags.feedbackId === 'none' ? null : flags.feedbackId }
      : {}),
  };
  return Object.keys(sending).length === 0 ? undefined : sending;
}

function settingsFrom(flags: SettingsFlags): DomainSettingsInput {
  return {
    ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
    ...(flags.bounceLabel !== undefined ? { bounceLabel: flags.bounceLabel } : {}),
    ...(flags.clickLabel !== undefined ? { clickLabel: flags.clickLabel } : {}),
    ...(flags.tracking !== undefined ? { tracking: flags.tracking } : {}),
    ...(flags.spf !== undefined ? { spfMechanisms: flags.spf } : {}),
    ...(flags.selectors !== undefined
      ? { dkimSelectors: flags.selectors.split(',').map((s) => s.trim()) }
      : {}),
    ...(sendingFrom(flags) !== undefined ? { sending: sendingFrom(flags) } : {}),
  };
}

function withSettingsOptions(command: Command): Command {
  return command
    .option('--tenant <name>', 'tenant (default: SENDERD_TENANT, "default", or the only one)')
    .option('--mode <mode>', 'delegated (CNAMEs into the platform zone) or self-hosted (literal records)')
    .option('--bounce-label <label>', 'label of the bounce (return-path) host')
    .option('--click-label <label>', 'label of the click-tracking host')
    .option('--tracking', 'rewrite links for click tracking')
    .option('--no-tracking', 'no click tracking (no click host in the plan)')
    .option(
      '--spf <mechanism...>',
      'your own SPF mechanisms to include, e.g. ip4:192.0.2.0/24 include:_spf.google.com',
    )
    .option('--selectors <a,b,c>', 'three DKIM selectors instead of the platform defaults')
    .option('--clicks', 'click tracking: rewrite links to the click host (needs --tracking)')
    .option('--no-clicks', 'no click tracking (the default)')
    .option('--opens', 'open tracking: a pixel at the end of HTML parts (needs --tracking)')
    .option('--no-opens', 'no open tracking (the default)')
    .option('--bulk', 'bulk stream: add RFC 8058 one-click List-Unsubscribe (needs --tracking)')
    .option('--no-bulk', 'transactional stream (the default)')
    .option('--feedback-id <a:b:c>', 'Feedback-ID parts before the SenderId (the tenant), or "none"');
}

export function describeDomain(d: SenderDomain): string {
  const s = d.settings;
  return [
    d.name,
    keyValues([
      ['token', d.token],
      ['mode', s.mode],
      ['verified', d.verifiedAt ?? 'not yet'],
      ['bounce host', `${s.bounceLabel}.${d.name}`],
      ['click host', s.tracking ? `${s.clickLabel}.${d.name}` : 'tracking off'],
      ['click tracking', s.sending?.clicks ? 'on' : 'off'],
      ['open tracking', s.sending?.opens ? 'on' : 'off'],
      ['stream', s.sending?.bulk ? 'bulk (one-click List-Unsubscribe)' : 'transactional'],
      ['feedback-id', s.sending?.feedbackId ?? '(none)'],
      ['own SPF', s.spfMechanisms.join(' ') || '(none)'],
      ['selectors', s.dkimSelectors.join(', ') || '(platform defaults)'],
      [
        'own DKIM',
        s.ownDkimSelectors.map((o) => o.selector + (o.record ? ' (hosted)' : ' (kept)')).join(', ') ||
          '(none)',
      ],
      ['created', d.createdAt],
    ]),
  ].join('\n');
}

export function registerDomain(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const domain = program.command('domain').description('manage sender domains');

  withSettingsOptions(
    domain.command('add <name>').description('add a sender domain (Unicode or A-labels)'),
  ).action(async (name: string, flags: SettingsFlags) => {
    await withServices(
      io,
      globals(),
      async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const added = await s.domains.add(tenant.id, name, settingsFrom(flags));
        emit(
          io,
          globals(),
          added,
          () =>
            `Added ${added.name} for tenant ${tenant.name}.\n${describeDomain(added)}\n\nNext: senderd records ${added.name}`,
        );
      },
      'served',
    );
  });

  withSettingsOptions(domain.command('set <name>').description("change a domain's settings")).action(
    async (name: string, flags: SettingsFlags) => {
      await withServices(
        io,
        globals(),
        async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const updated = await s.domains.update(tenant.id, name, settingsFrom(flags));
          emit(io, globals(), updated, () => `Updated ${updated.name}.\n${describeDomain(updated)}`);
        },
        'served',
      );
    },
  );

  domain
    .command('list')
    .description('list sender domains')
    .option('--tenant <name>', 'tenant')
    .action(async (flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const list = await s.domains.list(tenant.id);
        emit(io, globals(), { domains: list }, () =>
          list.length === 0
            ? `Tenant ${tenant.name} has no sender domains. Add one: senderd domain add example.com`
            : list
                .map((d) => `${d.name}\t${d.settings.mode}\t${d.verifiedAt ? 'verified' : 'unverified'}`)
                .join('\n'),
        );
      });
    });

  domain
    .command('show <name>')
    .description('show a sender domain')
    .option('--tenant <name>', 'tenant')
    .action(async (name: string, flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const d = await s.domains.get(tenant.id, name);
        emit(io, globals(), d, () => describeDomain(d));
      });
    });

  domain
    .command('remove <name>')
    .description('remove a sender domain; its token is never issued again')
    .option('--tenant <name>', 'tenant')
    .action(async (name: string, flags: { tenant?: string }) => {
      await withServices(
        io,
        globals(),
        async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const d = await s.domains.get(tenant.id, name);
          await s.domains.remove(tenant.id, d.name);
          emit(
            io,
            globals(),
            { removed: d.name },
            () => `Removed ${d.name}. Its records in the platform zone are gone.`,
          );
        },
        'served',
      );
    });
}
