import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { quietLogger, systemClock } from '../core/index.ts';
import { zoneFileChunks, ZoneKeeper } from '../dns/index.ts';
import { servedZoneSettings, VERSION, zoneSource } from '../main.ts';
import { withServices } from './session.ts';
import { writeLine, type CliIo, type GlobalOptions } from './io.ts';

export function registerZone(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const zone = program.command('zone').description('the platform zone senderd serves');
  zone
    .command('export')
    .description('write the platform zone as a BIND-format zone file (for a secondary, or to inspect it)')
    .option('-o, --output <file>', 'write to this file (replaced atomically) instead of standard output')
    .action(async (options: { output?: string }) => {
      await withServices(io, globals(), async (s) => {
        // The same builder and serial ledger as the running server: equal content gets the same serial.
        const keeper = new ZoneKeeper({
          settings: await servedZoneSettings(s),
          source: zoneSource(s),
          repo: s.store.dns,
          clock: systemClock,
          log: quietLogger(),
          pollIntervalMs: 1000,
          resyncIntervalMs: Number.MAX_SAFE_INTEGER,
        });
        await keeper.load();
        const snapshot = keeper.zone.snapshot();
        const chunks = zoneFileChunks(snapshot, [
          `zone ${keeper.zone.apex}, serial ${keeper.serial}, exported by senderd ${VERSION} at ${systemClock.now().toISOString()}`,
          `${snapshot.names} names, ${keeper.zone.size} of them with records`,
        ]);
        if (options.output === undefined) {
          for (const chunk of chunks) io.stdout.write(chunk);
          return;
        }
        const path = resolve(io.cwd, options.output);
        const partial = `${path}.partial`;
        // Written a chunk at a time: a zone of a million domains is over a gigabyte of text.
        const fd = openSync(partial, 'w');
        try {
          for (const chunk of chunks) writeSync(fd, chunk);
        } finally {
          closeSync(fd);
        }
        renameSync(partial, path);
        writeLine(io.stderr, `Wrote zone ${keeper.zone.apex} (serial ${keeper.serial}) to ${path}.`);
      });
    });
}
