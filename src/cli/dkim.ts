import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { DkimKeyView } from '../dkim/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, keyValues, writeLine, type CliIo, type GlobalOptions } from './io.ts';

/** One line per key: no private material exists in a view, so nothing secret can be printed. */
export function describeKey(k: DkimKeyView): string {
  const since =
    {
      pending: k.createdAt,
      active: k.activatedAt,
      retiring: k.retiringAt,
      retired: k.retiredAt,
      revoked: k.revokedAt,
    }[k.state] ?? '';
  return `${k.id}  ${k.selector.padEnd(5)} ${k.algorithm.padEnd(7)} ${String(k.bits).padStart(4)}  ${k.state.padEnd(8)} since ${since}  ${k.origin}  sha256:${k.fingerprint.slice(0, 16)}`;
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined)
    throw new AppError('bad_request', 'No standard input: give the key with --file.');
  // At a terminal, a silent wait looks like a hang: say what is expected.
  if ((io.stdin as { isTTY?: boolean }).isTTY === true)
    writeLine(io.stderr, 'Paste the PEM private key, then press Ctrl-D (or use --file key.pem):');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    throw new AppError(
      'validation_failed',
      'Standard input was empty: pipe the PEM private key in (senderd dkim import <domain> < key.pem), or use --file key.pem.',
    );
  return text;
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    // The path, never the content, goes into the message.
    throw new AppError(
      'bad_request',
      `Cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
}

export function registerDkim(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const dkim = program.command('dkim').description('DKIM keys: list, rotate, import, revoke, policy');
  const tenantOption = [
    '--tenant <name>',
    'tenant (default: SENDERD_TENANT, "default", or the only one)',
  ] as const;

  dkim
    .command('keys <domain>')
    .description("list a domain's keys, newest first (public parts only)")
    .option(...tenantOption)
    .action(async (name: string, flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const { domain, keys } = await s.dkim.list(tenant.id, name);
        emit(io, globals(), { domain: domain.name, keys }, () =>
          keys.length === 0
            ? `${domain.name} has no DKIM keys yet; the scheduler publishes the first within a minute.`
            : [domain.name, ...keys.map(describeKey)].join('\n'),
        );
      });
    });

  for (const [command, summary] of [
    ['rotate', 'rotate now: publish a new key, which signs once it is visible'],
    ['generate', 'generate a new key (same as rotate; --bits for a larger RSA key)'],
  ] as const) {
    dkim
      .command(`${command} <domain>`)
      .description(summary)
      .option(...tenantOption)
      .option('--algorithm <rsa|ed25519>', 'which series', 'rsa')
      .option('--bits <n>', 'RSA modulus length: 2048, 3072 or 4096')
      .action(async (name: string, flags: { tenant?: string; algorithm: string; bits?: string }) => {
        if (flags.algorithm !== 'rsa' && flags.algorithm !== 'ed25519')
          throw new AppError('validation_failed', '--algorithm must be rsa or ed25519.');
        await withServices(
          io,
          globals(),
          async (s) => {
            const tenant = await resolveTenant(s, io, flags.tenant);
            const { key, created } = await s.dkim.rotate(tenant.id, name, {
              algorithm: flags.algorithm as 'rsa' | 'ed25519',
              ...(flags.bits !== undefined ? { bits: Number(flags.bits) } : {}),
            });
            emit(
              io,
              globals(),
              { key, created },
              () =>
                `${created ? 'Published a new key' : 'A new key is already waiting'}:\n${describeKey(key)}\nIt signs once the lead time has passed and a resolver sees it; the current key then co-signs for the overlap.`,
            );
          },
          'served',
        );
      });
  }

  dkim
    .command('import <domain>')
    .description(
      'import your own private key (PEM, PKCS#1 or PKCS#8) from --file or standard input; it is never echoed',
    )
    .option(...tenantOption)
    .option('--file <path>', 'the PEM file (default: standard input)')
    .option('--passphrase-file <path>', 'a file holding the passphrase of an encrypted PEM')
    .option('--public-key <path>', 'the public key (PEM or DKIM record) to check the pair against')
    .action(
      async (
        name: string,
        flags: { tenant?: string; file?: string; passphraseFile?: string; publicKey?: string },
      ) => {
        const pem = flags.file !== undefined ? readSecretFile(flags.file, 'key') : await readStdin(io);
        const passphrase =
          flags.passphraseFile !== undefined
            ? readSecretFile(flags.passphraseFile, 'passphrase').replace(/\r?\n$/, '')
            : undefined;
        const publicKey =
          flags.publicKey !== undefined ? readSecretFile(flags.publicKey, 'public key') : undefined;
        await withServices(
          io,
          globals(),
          async (s) => {
            const tenant = await resolveTenant(s, io, flags.tenant);
            const { key, warnings } = await s.dkim.import(tenant.id, name, {
              pem,
              ...(passphrase !== undefined ? { passphrase } : {}),
              ...(publicKey !== undefined ? { publicKey } : {}),
            });
            emit(io, globals(), { key, warnings }, () =>
              [
                `Imported:`,
                describeKey(key),
                ...warnings.map((w) => `warning: ${w}`),
                'Imported keys do not rotate by themselves; senderd tells you as the key ages.',
              ].join('\n'),
            );
          },
          'served',
        );
      },
    );

  dkim
    .command('revoke <domain> <keyId>')
    .description('revoke a key at once (published with an empty p=)')
    .option(...tenantOption)
    .option('--force', 'revoke even a key that signs now (mail is held if no other key can sign)')
    .action(async (name: string, keyId: string, flags: { tenant?: string; force?: boolean }) => {
      await withServices(
        io,
        globals(),
        async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const key = await s.dkim.revoke(tenant.id, name, keyId, { force: flags.force === true });
          emit(io, globals(), { key }, () => `Revoked:\n${describeKey(key)}`);
        },
        'served',
      );
    });

  dkim
    .command('activate <domain> <keyId>')
    .description('operator override: let a pending key activate without seeing it through the customer DNS')
    .option(...tenantOption)
    .action(async (name: string, keyId: string, flags: { tenant?: string }) => {
      await withServices(
        io,
        globals(),
        async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const key = await s.dkim.allowActivation(tenant.id, name, keyId);
          emit(
            io,
            globals(),
            { key },
            () => `Override set; the key activates once its lead time has passed:\n${describeKey(key)}`,
          );
        },
        'served',
      );
    });

  dkim
    .command('policy <domain>')
    .description("show or change a domain's rotation policy (durations like 30d, 72h; 'default' clears)")
    .option(...tenantOption)
    .option('--period <duration>', 'rotation period')
    .option('--lead-time <duration>', 'pre-publication lead time (at least 2x the TTL)')
    .option('--overlap <duration>', 'dual-signing overlap')
    .option('--retention <duration>', 'how long a key stays published after its last signature')
    .option('--aging <duration>', 'aging threshold of imported keys')
    .option('--ed25519 <on|off|default>', 'sign with an Ed25519 key beside RSA (RFC 8463)')
    .option('--rsa-bits <n|default>', 'RSA modulus length of generated keys')
    .action(async (name: string, flags: Record<string, string | undefined>) => {
      const value = (v: string | undefined) => (v === undefined ? undefined : v === 'default' ? null : v);
      const input: Record<string, unknown> = {
        rotationPeriod: value(flags.period),
        leadTime: value(flags.leadTime),
        overlap: value(flags.overlap),
        retention: value(flags.retention),
        agingThreshold: value(flags.aging),
        ed25519: onOffDefault(flags.ed25519),
        rsaBits:
          flags.rsaBits === undefined
            ? undefined
            : flags.rsaBits === 'default'
              ? null
              : Number(flags.rsaBits),
      };
      const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      await withServices(
        io,
        globals(),
        async (s) => {
          const tenant = await resolveTenant(s, io, flags.tenant);
          const view =
            Object.keys(changes).length > 0
              ? await s.dkim.setPolicy(tenant.id, name, changes)
              : await s.dkim.policy(tenant.id, name);
          emit(io, globals(), view, () =>
            keyValues(
              Object.entries(view.effective).map(
                ([k, v]) => [k, `${String(v)}${k in view.overrides ? ' (domain)' : ''}`] as const,
              ),
            ),
          );
        },
        Object.keys(changes).length > 0 ? 'served' : 'read',
      );
    });
}

/** `--ed25519 on|off|default` as the policy input: true, false, null (clear), or a clear error for anything else. */
function onOffDefault(text: string | undefined): boolean | null | undefined {
  if (text === undefined) return undefined;
  const value = ({ on: true, off: false, default: null } as Record<string, boolean | null>)[text];
  if (value === undefined)
    throw new AppError('validation_failed', `--ed25519 takes on, off or default, not "${text}".`);
  return value;
}
