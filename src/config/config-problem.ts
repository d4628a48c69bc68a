/** What a configuration problem is, and the shape of a rule that finds some: the vocabulary of every check. */
import type { Config } from './schema.ts';

/** One thing wrong with the configuration, and which layer said it. */
export interface ConfigProblem {
  readonly source: 'file' | 'env' | 'flag' | 'value' | 'environment';
  readonly path: string;
  readonly message: string;
}

/**
 * A rule that needs a capability to judge the configuration (a DKIM rotation policy that holds together, DNS
 * names that resolve inside the zone). config/ knows no capability, so the composition root (src/main.ts) hands
 * its rules in; each problem names the key it is about.
 */
export type ConfigRule = (
  config: Config,
) => ReadonlyArray<{ readonly path: string; readonly message: string }>;
