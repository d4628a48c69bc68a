import { AppError } from '../core/index.ts';
import { checkRuntime, formatProblems, loadConfig, type Config } from '../config/index.ts';
import { configRules, openServices, type Services } from '../main.ts';
import { writeLine, type CliIo, type GlobalOptions } from './io.ts';
import { lockHolder } from './instance-lock.ts';

/** Loads and checks the configuration, listing every problem at once. */
export function configFor(io: CliIo, globals: GlobalOptions, options: { runtime: boolean }): Config {
  const outcome = loadConfig({
    configPath: globals.config,
    env: io.env,
    flags: globals.set,
    cwd: io.cwd,
    rules: configRules,
  });
  const problems = outcome.ok ? (options.runtime ? checkRuntime(outcome.config) : []) : outcome.problems;
  if (problems.length > 0 || !outcome.ok) {
    throw new AppError('config_invalid', `${formatProblems(problems)}\n(config file: ${outcome.path})`);
  }
  return outcome.config;
}

/**
 * Runs `fn` with the services open, and closes them whatever happens. A command that changes what the server
 * serves says `'served'`: when it succeeds and no server runs on this data directory, it says so in one line
 * (issue 15: a step or a rotation made with the server down must not look live).
 */
export async function withServices<T>(
  io: CliIo,
  globals: GlobalOptions,
  fn: (services: Services) => Promise<T>,
  effect: 'read' | 'served' = 'read',
): Promise<T> {
  const config = configFor(io, globals, { runtime: true });
  const services = await openServices(config);
  let result: T;
  try {
    result = await fn(services);
  } finally {
    await services.close();
  }
  // On PostgreSQL the server may run on another node, with its own data directory: this one's lock proves nothing.
  if (effect === 'served' && config.store.driver === 'sqlite' && lockHolder(config.dataDir) === undefined)
    writeLine(
      io.stderr,
      `no server is running on ${config.dataDir}; this takes effect when \`senderd start\` runs`,
    );
  return result;
}

/**
 * The tenant a command acts for: --tenant, then SENDERD_TENANT, then the one named "default", then the only
 * tenant there is.
 */
export async function resolveTenant(services: Services, io: CliIo, given: string | undefined) {
  const name = given ?? io.env.SENDERD_TENANT;
  if (name !== undefined) return services.accounts.tenantByName(name);
  const tenants = await services.accounts.listTenants();
  const chosen = tenants.find((t) => t.name === 'default') ?? (tenants.length === 1 ? tenants[0] : undefined);
  if (chosen === undefined) {
    throw new AppError(
      'bad_request',
      tenants.length === 0
        ? 'There is no tenant yet: run senderd tenant add <name>.'
        : `There are ${tenants.length} tenants: say which with --tenant <name>.`,
    );
  }
  return chosen;
}
