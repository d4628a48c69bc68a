import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { configPathFor } from '../config/index.ts';
import { createLogger } from '../core/index.ts';
import { startNode, VERSION } from '../main.ts';
import { describeInit, initialise } from './init.ts';
import { configFor } from './session.ts';
import { writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { listenFailure } from './listen-failure.ts';
import { processStopSignal } from './stop-signal.ts';

export function registerStart(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('start')
    .description('run every enabled component (HTTP API now; DNS, SMTP as they are configured) until SIGTERM')
    .action(async () => {
      const g = globals();
      const { path, explicit } = configPathFor({ configPath: g.config, env: io.env, cwd: io.cwd });
      if (!explicit && !existsSync(path)) {
        // First run from a fresh clone: set up with the embedded defaults, and say so.
        const outcome = await initialise(io, g, {});
        writeLine(io.stderr, `No configuration found; ran senderd init.\n${describeInit(outcome)}\n`);
      }
      const config = configFor(io, g, { runtime: true });
      const log = createLogger({
        level: config.log.level,
        format: config.log.format,
        destination: io.stdout,
      });
      const stopSignal = io.stopSignal ?? processStopSignal();
      const node = await startNode(config, log).catch((error: unknown) => {
        throw listenFailure(error, config) ?? error;
      });
      for (const c of node.components) log.info({ component: c.name, address: c.address }, 'listening');
      log.info(
        { version: VERSION, zone: config.platform.zone, store: config.store.driver },
        'senderd started',
      );
      const signal = await stopSignal;
      log.info({ signal }, 'draining');
      await node.stop();
      log.info('stopped cleanly');
    });
}
