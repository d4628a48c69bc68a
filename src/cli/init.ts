import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError, cryptoRandom } from '../core/index.ts';
import { configPathFor, formatProblems, renderConfigFile, resolveConfig } from '../config/index.ts';
import { renderKekFile } from '../secrets/index.ts';
import { configRules, VERSION } from '../main.ts';
import { withServices } from './session.ts';
import { emit, keyValues, type CliIo, type GlobalOptions } from './io.ts';

const DATA_DIR_DEFAULT = './data';

export interface InitOptions {
  zone?: string;
  dataDir?: string;
  force?: boolean;
}

export interface InitOutcome {
  configPath: string;
  kekFile: string;
  kekCreated: boolean;
  tenant: string | null;
  apiKey: string | null;
}

/**
 * Writes a commented config file and a fresh key-encryption key (both mode 0600), creates the database, and on a
 * new installation a tenant "default" with a first API key, which is shown once.
 */
export async function initialise(
  io: CliIo,
  globals: GlobalOptions,
  options: InitOptions,
): Promise<InitOutcome> {
  const { path } = configPathFor({ configPath: globals.config, env: io.env, cwd: io.cwd });
  if (existsSync(path) && options.force !== true) {
    throw new AppError(
      'conflict',
      `${path} already exists. Use --force to rewrite it (the key file is never overwritten).`,
    );
  }
  const values: Record<string, unknown> = {};
  if (options.zone !== undefined) values['platform.zone'] = options.zone;
  // The file's paths are read from its own directory (docs/configuration.md): the data directory, given relative
  // to where init runs, is written relative to the file (`.` for the default ./data/senderd.yaml).
  const dataDir = resolve(io.cwd, options.dataDir ?? DATA_DIR_DEFAULT);
  const fromFile = relative(dirname(path), dataDir) || '.';
  values.dataDir = fromFile.startsWith('..') ? dataDir : fromFile;
  const header = [
    `senderd configuration, written by senderd init (version ${VERSION}).`,
    'Every key is optional: the value shown is the default unless init set it. SENDERD_* environment variables',
    'and --set key=value flags override this file. Reference: docs/configuration.md.',
  ].join('\n');
  const text = renderConfigFile(values, header);
  // Check the file-to-be with the environment and flags before anything is written, so a bad setting leaves
  // no half-initialised data directory behind.
  const check = resolveConfig(
    { file: { path, text }, env: io.env, flags: globals.set, cwd: io.cwd },
    configRules,
  );
  if (!('config' in check)) throw new AppError('config_invalid', formatProblems(check.problems));
  // 0700: with the default path this is the data directory itself (database, spool, key file), made first here.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode: 0o600 });

  const config = check.config;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const kekCreated = !existsSync(config.secrets.kekFile);
  if (kekCreated) {
    mkdirSync(dirname(config.secrets.kekFile), { recursive: true, mode: 0o700 });
    // 'wx': never replace a key file, even in a race: losing it would lose every private key.
    writeFileSync(config.secrets.kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600, flag: 'wx' });
  }

  return withServices(io, globals, async (services) => {
    const existing = await services.accounts.listTenants();
    if (existing.length > 0)
      return { configPath: path, kekFile: config.secrets.kekFile, kekCreated, tenant: null, apiKey: null };
    const tenant = await services.accounts.addTenant('default');
    const { key } = await services.accounts.createApiKey(tenant.id, 'created by init');
    return {
      configPath: path,
      kekFile: config.secrets.kekFile,
      kekCreated,
      tenant: tenant.name,
      apiKey: key,
    };
  });
}

export function describeInit(outcome: InitOutcome): string {
  const rows: Array<[string, string]> = [
    ['config', outcome.configPath],
    ['key file', `${outcome.kekFile}${outcome.kekCreated ? ' (new; back it up)' : ' (kept)'}`],
  ];
  if (outcome.tenant !== null) rows.push(['tenant', outcome.tenant]);
  const lines = ['senderd is initialised.', keyValues(rows)];
  if (outcome.apiKey !== null) {
    lines.push('', 'API key for tenant "default" (shown once; store it now):', `  ${outcome.apiKey}`);
  }
  return lines.join('\n');
}

export function registerInit(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('write a config file and a key-encryption key, create the database and a first tenant')
    .option('--zone <zone>', 'the platform zone (delegated to senderd), e.g. mail.example.net')
    .option('--data-dir <dir>', 'where state is kept (default ./data)')
    .option('--force', 'rewrite an existing config file (the key file is never overwritten)')
    .action(async (options: InitOptions) => {
      const outcome = await initialise(io, globals(), options);
      emit(io, globals(), outcome, () => describeInit(outcome));
    });
}
