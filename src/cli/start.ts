import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { configPathFor, type Config } from '../config/index.ts';
import { AppError, createLogger, type Logger } from '../core/index.ts';
import { startNode, VERSION } from '../main.ts';
import { describeInit, initialise } from './init.ts';
import { configFor } from './session.ts';
import { writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { listenFailure } from './listen-failure.ts';
import { prepareDashboard } from './dashboard-prepare.ts';
import { probeListeners } from './port-probe.ts';
import { takeLock } from './instance-lock.ts';
import { processStopSignal } from './stop-signal.ts';

/** The senderd checkout itself: `npm ci && npm start` there is the documented first run (README, Quick start). */
const CHECKOUT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** What a new installation does next, once it listens: where the dashboard is and three first steps. */
function nextSteps(dashboard: string | undefined): string {
  return [
    '',
    `senderd is running.${dashboard === undefined ? '' : ` Dashboard: ${dashboard}/`}`,
    'Next, in a second terminal in this directory:',
    '  1. ./bin/senderd user add you@example.com     # a dashboard user (owner of tenant "default")',
    '  2. ./bin/senderd domain add example.com       # your first sender domain',
    '  3. ./bin/senderd records example.com          # the DNS records to create for it',
    '',
  ].join('\n');
}

export function registerStart(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('start')
    .description('run every enabled component (HTTP API now; DNS, SMTP as they are configured) until SIGTERM')
    .action(async () => {
      const g = globals();
      const { path, explicit } = configPathFor({ configPath: g.config, env: io.env, cwd: io.cwd });
      const firstRun = !explicit && !existsSync(path);
      if (firstRun) {
        // Only the documented first run (npm start in the checkout) sets itself up. Anywhere else a missing
        // config is a mistake (another directory, a typo in a unit file): a silent new installation would start
        // with a new key and an empty store.
        if (resolve(io.cwd) !== CHECKOUT)
          throw new AppError(
            'config_invalid',
            `No configuration at ${path}. Run senderd init here to make a new installation, or point at yours with --config /path/to/senderd.yaml (or SENDERD_CONFIG).`,
          );
        const outcome = await initialise(io, g, {});
        writeLine(io.stderr, `No configuration found; ran senderd init.\n${describeInit(outcome)}\n`);
      }
      const config = configFor(io, g, { runtime: true });
      const log = createLogger({
        level: config.log.level,
        format: config.log.format,
        destination: io.stdout,
      });
      const lock = takeLock(config.dataDir);
      if (!lock.ok)
        // Also on PostgreSQL: nodes may share the store, but each needs its own data directory (spool, keys).
        throw new AppError(
          'unavailable',
          `Another senderd (pid ${lock.pid}) is running on ${config.dataDir} (it holds ${lock.path}). Stop it first, or give this server its own data directory (--set dataDir=…).`,
        );
      try {
        await serve(config, log, io, firstRun);
      } finally {
        lock.release();
      }
    });
}

/** Runs the node until the stop signal, then drains it. */
async function serve(config: Config, log: Logger, io: CliIo, firstRun: boolean): Promise<void> {
  const stopSignal = io.stopSignal ?? processStopSignal();
  await probeListeners(config);
  await prepareDashboard(config, log);
  const node = await startNode(config, log).catch((error: unknown) => {
    throw listenFailure(error, config) ?? error;
  });
  for (const c of node.components) log.info({ component: c.name, address: c.address }, 'listening');
  log.info({ version: VERSION, zone: config.platform.zone, store: config.store.driver }, 'senderd started');
  if (firstRun) writeLine(io.stderr, nextSteps(node.components.find((c) => c.name === 'http')?.address));
  const signal = await stopSignal;
  log.info({ signal }, 'draining');
  await node.stop();
  log.info('stopped cleanly');
}
