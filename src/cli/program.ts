import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/index.ts';
import { VERSION } from '../main.ts';
import { registerApiKey } from './apikey.ts';
import { registerCheck } from './check.ts';
import { registerConfig } from './config-command.ts';
import { registerDkim } from './dkim.ts';
import { registerDns } from './dns.ts';
import { registerDomain } from './domain.ts';
import { registerEdge } from './edge.ts';
import { registerDmarc } from './dmarc.ts';
import { registerEvents } from './events.ts';
import { registerAlerts } from './alerts.ts';
import { registerInit } from './init.ts';
import { registerKek } from './kek.ts';
import { EXIT, exitCodeFor, writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { registerMessage } from './message.ts';
import { registerMtaSts } from './mta-sts.ts';
import { registerBimi } from './bimi.ts';
import { registerRecords } from './records.ts';
import { registerSmtpCredential } from './smtp-credential.ts';
import { registerSuppression } from './suppression.ts';
import { registerFigures } from './figures.ts';
import { registerTracking } from './tracking.ts';
import { registerReports } from './reports.ts';
import { registerStart } from './start.ts';
import { registerTenant } from './tenant.ts';
import { registerUser } from './user.ts';
import { registerZone } from './zone.ts';

function buildProgram(io: CliIo): Command {
  const program = new Command('senderd')
    .description('senderd: sender domains, hosted SPF/DKIM/DMARC, DKIM rotation, signing and DMARC reports')
    .version(VERSION, '-V, --version')
    .option('-c, --config <path>', 'config file (default: SENDERD_CONFIG or ./data/senderd.yaml)')
    .option(
      '-s, --set <key=value>',
      'override a config key, e.g. --set http.port=8081 (repeatable)',
      collect,
      [],
    )
    .option('--json', 'machine-readable output', false)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const globals = () => program.opts<GlobalOptions>();
  registerInit(program, io, globals);
  registerStart(program, io, globals);
  registerTenant(program, io, globals);
  registerApiKey(program, io, globals);
  registerUser(program, io, globals);
  registerDomain(program, io, globals);
  registerRecords(program, io, globals);
  registerDmarc(program, io, globals);
  registerDkim(program, io, globals);
  registerEvents(program, io, globals);
  registerAlerts(program, io, globals);
  registerKek(program, io, globals);
  registerCheck(program, io, globals);
  registerEdge(program, io, globals);
  registerMtaSts(program, io, globals);
  registerBimi(program, io, globals);
  registerSmtpCredential(program, io, globals);
  registerSuppression(program, io, globals);
  registerFigures(program, io, globals);
  registerTracking(program, io, globals);
  registerMessage(program, io, globals);
  registerReports(program, io, globals);
  registerConfig(program, io, globals);
  registerZone(program, io, globals);
  registerDns(program, io, globals);
  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs one CLI invocation and returns its exit code (see EXIT); never calls process.exit. */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  let outcome: number = EXIT.ok;
  const io: CliIo = { ...given, setOutcome: (code) => (outcome = code) };
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; everything else is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const json = program.opts<GlobalOptions>().json;
    if (isAppError(error)) {
      if (json)
        writeLine(
          io.stderr,
          JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }),
        );
      else {
        writeLine(io.stderr, `senderd: ${error.message}`);
        for (const d of error.details.filter((d) => d.message !== error.message))
          writeLine(io.stderr, `  - ${d.path ? `${d.path}: ` : ''}${d.message}`);
      }
      return exitCodeFor(error.code);
    }
    writeLine(
      io.stderr,
      `senderd: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.internal;
  }
}
