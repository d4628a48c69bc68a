import type { Command } from 'commander';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd smtp-credential create|list|revoke`: AUTH credentials for the gateway's submission port. */
export function registerSmtpCredential(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const cmd = program
    .command('smtp-credential')
    .description("manage a tenant's SMTP credentials for the gateway (only hashes are stored)");
  cmd
    .command('create')
    .description('create SMTP credentials and print the password once')
    .option('--tenant <name>', 'tenant (default: SENDERD_TENANT, "default", or the only one)')
    .option('--name <label>', 'a label to recognise them by', 'smtp')
    .action(async (options: { tenant?: string; name: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const { credential, password } = await s.smtpCredentials.create(tenant.id, options.name);
        emit(
          io,
          globals(),
          { id: credential.id, tenant: tenant.name, username: credential.username, password },
          () =>
            [
              `SMTP credentials for tenant ${tenant.name} (the password is shown once; store it now):`,
              `  username  ${credential.username}`,
              `  password  ${password}`,
              `Use AUTH PLAIN or LOGIN after STARTTLS on port ${s.config.gateway.submission.port}.`,
            ].join('\n'),
        );
      });
    });
  cmd
    .command('list')
    .description('list SMTP credentials (never their passwords)')
    .option('--tenant <name>', 'tenant')
    .action(async (options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const list = (await s.smtpCredentials.list(tenant.id)).map(({ secretHash: _h, ...c }) => c);
        emit(io, globals(), { credentials: list }, () =>
          list.length === 0
            ? 'No SMTP credentials.'
            : list
                .map(
                  (c) =>
                    `${c.username}\t${c.name}\tcreated ${c.createdAt}\t${c.revokedAt ? `revoked ${c.revokedAt}` : `last used ${c.lastUsedAt ?? 'never'}`}`,
                )
                .join('\n'),
        );
      });
    });
  cmd
    .command('revoke <id>')
    .description('revoke SMTP credentials at once')
    .option('--tenant <name>', 'tenant')
    .action(async (id: string, options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        await s.smtpCredentials.revoke(tenant.id, id);
        emit(io, globals(), { revoked: id }, () => `Revoked SMTP credentials ${id}.`);
      });
    });
}
