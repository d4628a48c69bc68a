import type { Command } from 'commander';
import { resolveTenant, withServices } from './session.ts';
import { emit, wholeNumber, type CliIo, type GlobalOptions } from './io.ts';

export function registerEvents(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('events')
    .description("list a tenant's events, newest first")
    .option('--tenant <name>', 'tenant (default: SENDERD_TENANT, "default", or the only one)')
    .option('--type <type>', 'a type or prefix, e.g. dkim.key')
    .option('--since <iso-time>', 'only events at or after this time')
    .option('--limit <n>', 'at most this many (1–1000)', wholeNumber('--limit', 1, 1000), 50)
    .action(async (flags: { tenant?: string; type?: string; since?: string; limit: number }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const list = await s.events.list(tenant.id, {
          ...(flags.type !== undefined ? { type: flags.type } : {}),
          ...(flags.since !== undefined ? { since: flags.since } : {}),
          limit: flags.limit,
        });
        emit(io, globals(), { events: list }, () =>
          list.length === 0
            ? 'No events.'
            : list.map((e) => `${e.at}  ${e.severity.padEnd(8)} ${e.type}\n    ${e.message}`).join('\n'),
        );
      });
    });

  program
    .command('notifications')
    .description('show or set where events are delivered (webhook, e-mail)')
    .option('--tenant <name>', 'tenant')
    .option('--webhook <url|off>', 'webhook URL (signed with HMAC-SHA256), or off')
    .option('--email <address...>', 'e-mail recipients')
    .option('--min-severity <level>', 'info, warning or critical')
    .option('--rotate-secret', 'draw a new webhook secret (shown once)')
    .action(
      async (flags: {
        tenant?: string;
        webhook?: string;
        email?: string[];
        minSeverity?: string;
        rotateSecret?: boolean;
      }) => {
        await withServices(io, globals(), async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const input = {
            ...(flags.webhook !== undefined
              ? { webhookUrl: flags.webhook === 'off' ? null : flags.webhook }
              : {}),
            ...(flags.email !== undefined ? { emailTo: flags.email } : {}),
            ...(flags.minSeverity !== undefined ? { minSeverity: flags.minSeverity } : {}),
            ...(flags.rotateSecret === true ? { rotateSecret: true } : {}),
          };
          const view =
            Object.keys(input).length > 0
              ? await s.events.setNotifications(tenant.id, input)
              : await s.events.notifications(tenant.id);
          emit(io, globals(), view, () =>
            [
              `webhook:      ${view.webhookUrl ?? 'off'}`,
              `e-mail:       ${view.emailTo.join(', ') || 'off'}`,
              `min severity: ${view.minSeverity}`,
              ...('webhookSecret' in view && typeof view.webhookSecret === 'string'
                ? ['', 'Webhook secret (shown once; store it now):', `  ${view.webhookSecret}`]
                : []),
            ].join('\n'),
          );
        });
      },
    );
}
