import type { Command } from 'commander';
import { envName, placeholderWarnings, redactConfig, renderConfigReference } from '../config/index.ts';
import { configFor } from './session.ts';
import { emit, writeLine, type CliIo, type GlobalOptions } from './io.ts';

export function registerConfig(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description(
      'check the configuration and the environment it needs; lists every problem at once, and warns about placeholder values',
    )
    .action(() => {
      const config = configFor(io, globals(), { runtime: true });
      const warnings = placeholderWarnings(config);
      emit(io, globals(), { ok: true, warnings }, () =>
        warnings.length === 0
          ? 'The configuration is valid.'
          : [
              `The configuration is valid, but ${warnings.length === 1 ? 'one value is a placeholder' : `${warnings.length} values are placeholders`} that cannot work on the Internet:`,
              ...warnings.map((w) => `  ${w.path}: ${w.message}`),
              'Fine for a test machine; set real values before you delegate the zone or send mail.',
            ].join('\n'),
      );
    });
  config
    .command('show')
    .description('print the effective configuration, all layers applied (secrets redacted)')
    .action(() => {
      const c = configFor(io, globals(), { runtime: false });
      writeLine(io.stdout, JSON.stringify(redactConfig(c), null, 2));
    });
  config
    .command('reference')
    .description('print the configuration reference (Markdown), generated from the schema')
    .action(() => writeLine(io.stdout, renderConfigReference(envName)));
}
