import type { Command } from 'commander';
import { withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

export function registerTenant(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const tenant = program.command('tenant').description('manage tenants (customer accounts)');
  tenant
    .command('add <name>')
    .description('add a tenant; name: a-z, 0-9 and inner hyphens')
    .option('--api-key', 'also create an API key for it and print it once')
    .action(async (name: string, options: { apiKey?: boolean }) => {
      await withServices(io, globals(), async (s) => {
        const t = await s.accounts.addTenant(name);
        const key = options.apiKey
          ? (await s.accounts.createApiKey(t.id, 'created with tenant')).key
          : undefined;
        emit(io, globals(), { ...t, ...(key ? { apiKey: key } : {}) }, () =>
          [`Added tenant ${t.name} (${t.id}).`, ...(key ? [`API key (shown once): ${key}`] : [])].join('\n'),
        );
      });
    });
  tenant
    .command('list')
    .description('list tenants')
    .action(async () => {
      await withServices(io, globals(), async (s) => {
        const tenants = await s.accounts.listTenants();
        emit(io, globals(), { tenants }, () =>
          tenants.length === 0
            ? 'No tenants.'
            : tenants.map((t) => `${t.name}\t${t.id}\t${t.createdAt}`).join('\n'),
        );
      });
    });
}
