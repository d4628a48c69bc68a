import { Option, type Command } from 'commander';
import { formatPlan, planToJson, RECORD_FORMATS, type RecordFormat } from '../domains/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { writeLine, type CliIo, type GlobalOptions } from './io.ts';

export function registerRecords(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('records <domain>')
    .description('print the DNS records to create for a sender domain')
    .addOption(new Option('--format <format>', 'output format').choices(RECORD_FORMATS).default('table'))
    .option('--hosted', 'also list the records senderd hosts in the platform zone')
    .option('--tenant <name>', 'tenant')
    .action(async (name: string, flags: { format: RecordFormat; hosted?: boolean; tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const domain = await s.domains.get(tenant.id, name);
        const plan = await s.domains.planFor(domain);
        const options = { apex: s.domains.apexOf(domain.name), hosted: flags.hosted === true };
        // --json is the same as --format json, for scripts that pass --json everywhere.
        const format = globals().json ? 'json' : flags.format;
        writeLine(
          io.stdout,
          format === 'json'
            ? JSON.stringify(planToJson(plan, options), null, 2)
            : formatPlan(plan, format, options),
        );
      });
    });
}
