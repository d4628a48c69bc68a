import type { Command } from 'commander';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

export function registerApiKey(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const apikey = program.command('apikey').description("manage a tenant's API keys (only hashes are stored)");
  apikey
    .command('create')
    .description('create an API key and print it once')
    .option('--tenant <name>', 'tenant (default: SENDERD_TENANT, "default", or the only one)')
    .option('--name <label>', 'a label to recognise the key by', 'cli')
    .action(async (options: { tenant?: string; name: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const { key, record } = await s.accounts.createApiKey(tenant.id, options.name);
        emit(io, globals(), { id: record.id, tenant: tenant.name, name: record.name, key }, () =>
          [`API key ${record.id} for tenant ${tenant.name} (shown once; store it now):`, key].join('\n'),
        );
      });
    });
  apikey
    .command('list')
    .description('list API keys (ids and labels; secrets are never shown)')
    .option('--tenant <name>', 'tenant')
    .action(async (options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const keys = (await s.accounts.listApiKeys(tenant.id)).map(({ secretHash: _hash, ...k }) => k);
        emit(io, globals(), { keys }, () =>
          keys.length === 0
            ? 'No API keys.'
            : keys
                .map(
                  (k) =>
                    `${k.id}\t${k.name}\tcreated ${k.createdAt}\t${k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`}`,
                )
                .join('\n'),
        );
      });
    });
  apikey
    .command('revoke <id>')
    .description('revoke an API key at once')
    .option('--tenant <name>', 'tenant')
    .action(async (id: string, options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        await s.accounts.revokeApiKey(tenant.id, id);
        emit(io, globals(), { revoked: id }, () => `Revoked API key ${id}.`);
      });
    });
}
