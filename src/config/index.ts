/** Configuration: one schema, layered loading (defaults < file < SENDERD_* env < flags), generated docs. */
export { configSchema } from './schema.ts';
export type { Config } from './schema.ts';
export { resolveConfig, configDefaults, configLeaves, envName, RESERVED_ENV } from './layers.ts';
export type { ConfigSources } from './layers.ts';
export type { ConfigProblem, ConfigRule } from './config-problem.ts';
export { listenerPorts } from './consistency.ts';
export { placeholderWarnings } from './placeholders.ts';
export type { ConfigWarning } from './placeholders.ts';
export {
  loadConfig,
  checkRuntime,
  configPathFor,
  formatProblems,
  DEFAULT_CONFIG_PATH,
} from './read-config.ts';
export type { ConfigOutcome, ConfigRequest } from './read-config.ts';
export { describeConfig, renderConfigFile, renderConfigReference } from './config-file.ts';
export { redactConfig, secretKeys, REDACTED } from './redaction.ts';
export type { SecretKey } from './redaction.ts';
