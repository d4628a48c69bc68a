import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import { parseTsigKeyFile, type TsigKey } from '../dns-wire/index.ts';
import type { ApplyItem } from '../provisioning/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, EXIT, writeLine, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd dns apply`: the domain's records written into the customer's own zone by RFC 2136. */
export function registerDnsApply(dns: Command, io: CliIo, globals: () => GlobalOptions): void {
  dns
    .command('connect-template')
    .description(
      "print the platform's Domain Connect template (JSON), to submit to DNS providers; see docs/customer-dns.md",
    )
    .action(async () => {
      await withServices(io, globals(), (s) => {
        writeLine(io.stdout, JSON.stringify(s.domainConnect.template(), null, 2));
        return Promise.resolve();
      });
    });
  dns
    .command('apply')
    .description(
      "write a domain's records into your own zone with a signed RFC 2136 dynamic update; shows the difference first",
    )
    .argument('<domain>', 'the sender domain')
    .requiredOption('--server <host[:port]>', "the zone's primary server, which accepts dynamic updates")
    .option(
      '--tsig-key <file>',
      'the TSIG key: a BIND key block, a Knot key section, or algorithm:name:secret',
    )
    .option('--dry-run', 'show the difference and send nothing')
    .option('--tenant <name>', 'tenant')
    .action(
      async (
        name: string,
        flags: { server: string; tsigKey?: string; dryRun?: boolean; tenant?: string },
      ) => {
        const key = flags.tsigKey === undefined ? null : readKey(resolve(io.cwd, flags.tsigKey));
        await withServices(io, globals(), async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const result = await s.dnsApply.apply(tenant.id, name, {
            server: flags.server,
            key,
            dryRun: flags.dryRun === true,
            trusted: true,
          });
          emit(io, globals(), result, () =>
            [
              `zone ${result.zone || '(unknown)'}`,
              ...result.items.map(itemLine),
              '',
              result.message,
              ...(result.checkGrade === null ? [] : [`check afterwards: ${result.checkGrade}`]),
            ].join('\n'),
          );
          const refused = result.outcome !== null && result.outcome.kind !== 'applied';
          if (refused) io.setOutcome?.(result.outcome?.kind === 'failure' ? EXIT.unavailable : EXIT.denied);
        });
      },
    );
}

const MARK: Record<ApplyItem['action'], string> = {
  add: '+ add      ',
  replace: '~ replace  ',
  unchanged: '= unchanged',
  conflict: '! conflict ',
};

function itemLine(item: ApplyItem): string {
  const head = `  ${MARK[item.action]}  ${item.name} ${item.type} ${item.value}`;
  const now = item.current === null || item.action === 'unchanged' ? [] : [`      now: ${item.current}`];
  const why = item.reason === null ? [] : [`      ${item.reason}`];
  return [head, ...now, ...why].join('\n');
}

/** Reads the key file; its errors name the file and the problem, never the secret. */
function readKey(path: string): TsigKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('bad_request', `--tsig-key ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const key = parseTsigKeyFile(text);
  if (!key.ok) throw new AppError('bad_request', `--tsig-key ${path}: ${key.error}`);
  return key.value;
}
