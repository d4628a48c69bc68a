/** The command-line interface: one file per command, calling the same services as the API. */
export { runCli } from './program.ts';
export { EXIT } from './io.ts';
export type { CliIo } from './io.ts';
