import { AppError } from '../core/index.ts';
import { checkRuntime, formatProblems, loadConfig, type Config } from '../config/index.ts';
import { configRules, openServices, type Services } from '../main.ts';
import type { CliIo, GlobalOptions } from './io.ts';

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

/** Runs `fn` with the services open, and closes them whatever happens. */
export async function withServices<T>(
  io: CliIo,
  globals: GlobalOptions,
  fn: (services: Services) => Promise<T>,
): Promise<T> {
  const services = await openServices(configFor(io, globals, { runtime: true }));
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
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
