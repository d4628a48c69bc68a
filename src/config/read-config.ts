import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKekFile } from '../secrets/index.ts';
import type { ConfigProblem, ConfigRule } from './config-problem.ts';
import { resolveConfig } from './layers.ts';
import type { Config } from './schema.ts';

export const DEFAULT_CONFIG_PATH = './data/senderd.yaml';

export interface ConfigRequest {
  /** An explicit --config path; a missing explicit file is an error, a missing default one is not. */
  readonly configPath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: readonly string[];
  readonly cwd: string;
  /** The rules that need a capability to judge (src/main.ts's `configRules`). */
  readonly rules: readonly ConfigRule[];
}

export type ConfigOutcome =
  | { readonly ok: true; readonly config: Config; readonly path: string; readonly fileFound: boolean }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly path: string };

/** Where the config file is: --config, then SENDERD_CONFIG, then ./data/senderd.yaml. */
export function configPathFor(request: Pick<ConfigRequest, 'configPath' | 'env' | 'cwd'>): {
  path: string;
  explicit: boolean;
} {
  const given = request.configPath ?? request.env.SENDERD_CONFIG;
  return { path: resolve(request.cwd, given ?? DEFAULT_CONFIG_PATH), explicit: given !== undefined };
}

/** Reads the file (if any) and applies every layer. */
export function loadConfig(request: ConfigRequest): ConfigOutcome {
  const { path, explicit } = configPathFor(request);
  const fileFound = existsSync(path);
  if (!fileFound && explicit) {
    return { ok: false, path, problems: [{ source: 'file', path, message: 'no such file' }] };
  }
  const file = fileFound ? { path, text: readFileSync(path, 'utf8') } : undefined;
  const outcome = resolveConfig(
    { ...(file ? { file } : {}), env: request.env, flags: request.flags, cwd: request.cwd },
    request.rules,
  );
  if (!('config' in outcome)) return { ok: false, path, problems: outcome.problems };
  return { ok: true, config: outcome.config, path, fileFound };
}

/**
 * What a running node needs from its surroundings: a readable key-encryption key of mode 0600, the Public
 * Suffix List, an extra ACME root where one is configured, and a data directory it can write to. Every problem is
 * listed.
 */
export function checkRuntime(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const kek = config.secrets.kekFile;
  if (!existsSync(kek)) {
    problems.push({
      source: 'environment',
      path: 'secrets.kekFile',
      message: `${kek} does not exist; run senderd init`,
    });
  } else {
    const mode = statSync(kek).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      problems.push({
        source: 'environment',
        path: 'secrets.kekFile',
        message: `${kek} has mode ${mode.toString(8)}; others can read it. Run: chmod 600 ${kek}`,
      });
    }
    const parsed = parseKekFile(readFileSync(kek, 'utf8'));
    if (!parsed.ok)
      problems.push({ source: 'environment', path: 'secrets.kekFile', message: `${kek}: ${parsed.error}` });
  }
  const psl = config.domains.publicSuffixList;
  if (!existsSync(psl)) {
    problems.push({
      source: 'environment',
      path: 'domains.publicSuffixList',
      message: `${psl} does not exist; install Debian's publicsuffix package or point this at a copy of the list`,
    });
  }
  const caFile = config.edge.acme.caFile;
  if (caFile !== '' && !existsSync(caFile)) {
    problems.push({
      source: 'environment',
      path: 'edge.acme.caFile',
      message: `${caFile} does not exist; point this at the PEM root of a test CA, or leave it empty`,
    });
  }
  if (existsSync(config.dataDir)) {
    try {
      accessSync(config.dataDir, constants.W_OK);
    } catch {
      problems.push({ source: 'environment', path: 'dataDir', message: `${config.dataDir} is not writable` });
    }
  }
  return problems;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path} (${p.source}): ${p.message}`);
  return `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}
