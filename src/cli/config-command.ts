import type { Command } from 'commander';
import { envName, redactConfig, renderConfigReference } from '../config/index.ts';
import { configFor } from './session.ts';
import { emit, writeLine, type CliIo, type GlobalOptions } from './io.ts';

export function registerConfig(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('check the configuration and the environment it needs; lists every problem at once')
    .action(() => {
      configFor(io, globals(), { runtime: true });
      emit(io, globals(), { ok: true }, () => 'The configuration is valid.');
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
