import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { normaliseDomainName } from '../domain-name/index.ts';
import type { ConfigProblem, ConfigRule } from './config-problem.ts';
import { checkConsistency } from './consistency.ts';
import { configSchema, type Config } from './schema.ts';
import { suggest } from './suggestion.ts';

export interface ConfigSources {
  /** The config file's text, if there is one. */
  readonly file?: { readonly path: string; readonly text: string };
  /** Usually process.env; only SENDERD_* names are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--set path=value` flags, in order. */
  readonly flags: readonly string[];
  /** Relative paths in the config are resolved against this directory. */
  readonly cwd: string;
}

/** Environment variables that are not config keys but are read elsewhere (CLI defaults). */
export const RESERVED_ENV = new Set(['SENDERD_CONFIG', 'SENDERD_TENANT', 'SENDERD_PRINT_BOOTSTRAP_KEY']);

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The defaults, as a plain object: the shape every layer is checked against. */
export const configDefaults: Config = configSchema.parse({});

/** Every leaf key path of the defaults, with its default value. Records (like hostAddresses) are leaves. */
export function configLeaves(): Array<{ path: string[]; value: unknown }> {
  const out: Array<{ path: string[]; value: unknown }> = [];
  const walk = (node: Plain, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (isPlain(value) && !isRecordLeaf(here)) walk(value, here);
      else out.push({ path: here, value });
    }
  };
  walk(configDefaults, []);
  return out;
}

/** Keys whose value is a free-form map rather than a section. */
function isRecordLeaf(path: readonly string[]): boolean {
  const key = path.join('.');
  return key === 'platform.hostAddresses' || key === 'dns.aliases';
}

/** `http.port` → `SENDERD_HTTP_PORT`; `platform.egressIps` → `SENDERD_PLATFORM_EGRESS_IPS`. */
export function envName(path: readonly string[]): string {
  return 'SENDERD_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** Turns a string from the environment or a flag into the type of the key's default. */
function coerce(text: string, like: unknown): unknown {
  // An unparseable number stays a string, so the schema reports it as the text that was given.
  if (typeof like === 'number') return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  if (typeof like === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
    return text;
  }
  if (Array.isArray(like) || isPlain(like)) {
    if (/^\s*[[{]/.test(text)) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    return Array.isArray(like)
      ? text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : text;
  }
  return text;
}

function hasPath(node: unknown, path: readonly string[]): boolean {
  let here = node;
  for (const key of path) {
    if (!isPlain(here) || !(key in here)) return false;
    here = here[key];
  }
  return true;
}

function setPath(target: Plain, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlain(node[key])) node[key] = {};
    node = node[key] as Plain;
  }
  node[path[path.length - 1]!] = value;
}

function mergeInto(target: Plain, source: Plain, recordLeafPath: string[] = []): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...recordLeafPath, key];
    if (isPlain(value) && isPlain(target[key]) && !isRecordLeaf(here)) mergeInto(target[key], value, here);
    else target[key] = value;
  }
}

/**
 * Applies the layers and validates the result. Every problem is returned at once, so a person fixes their
 * configuration in one go rather than one error per start.
 */
export function resolveConfig(
  sources: ConfigSources,
  rules: readonly ConfigRule[],
): { config: Config; problems: [] } | { problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const leaves = configLeaves();
  const byPath = new Map(leaves.map((l) => [l.path.join('.'), l]));
  const merged: Plain = {};
  /** Which layer last set each key, so a bad value is reported against the layer that gave it. */
  const origin = new Map<string, ConfigProblem['source']>();

  if (sources.file !== undefined) {
    try {
      const parsed: unknown = parseYaml(sources.file.text);
      if (parsed === null || parsed === undefined) {
        // An empty file is a file of defaults.
      } else if (isPlain(parsed)) {
        mergeInto(merged, parsed);
        for (const leaf of leaves) if (hasPath(parsed, leaf.path)) origin.set(leaf.path.join('.'), 'file');
      } else {
        problems.push({
          source: 'file',
          path: sources.file.path,
          message: 'the file must hold a mapping of keys',
        });
      }
    } catch (error) {
      problems.push({
        source: 'file',
        path: sources.file.path,
        message: `not valid YAML: ${(error as Error).message}`,
      });
    }
  }

  const envByName = new Map(leaves.map((l) => [envName(l.path), l]));
  for (const [name, text] of Object.entries(sources.env)) {
    if (!name.startsWith('SENDERD_') || text === undefined || RESERVED_ENV.has(name)) continue;
    const leaf = envByName.get(name);
    if (leaf === undefined) {
      problems.push({
        source: 'env',
        path: name,
        message: `unknown variable${suggest(name, [...envByName.keys()])}`,
      });
      continue;
    }
    setPath(merged, leaf.path, coerce(text, leaf.value));
    origin.set(leaf.path.join('.'), 'env');
  }

  for (const flag of sources.flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? flag : flag.slice(0, eq);
    const leaf = byPath.get(key);
    if (eq < 0 || leaf === undefined) {
      const why = eq < 0 ? 'expected --set key=value' : `unknown key${suggest(key, [...byPath.keys()])}`;
      problems.push({ source: 'flag', path: key, message: why });
      continue;
    }
    setPath(merged, leaf.path, coerce(flag.slice(eq + 1), leaf.value));
    origin.set(key, 'flag');
  }

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const keys =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [path];
      for (const key of keys) {
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown key${suggest(key, [...byPath.keys()])}`
            : issue.message;
        const source = origin.get(key) ?? origin.get(path.split('.').slice(0, 2).join('.')) ?? 'value';
        problems.push({ source, path: key || '(root)', message });
      }
    }
    // Cross-key rules still run over every section that is valid on its own, so the list is complete.
    const reported = new Set(problems.map((p) => p.path));
    for (const p of checkAll(bestEffort(merged), rules)) if (!reported.has(p.path)) problems.push(p);
    return { problems };
  }
  // A path written in the config file is relative to that file, wherever the command runs; one given by
  // SENDERD_* or --set is relative to the working directory, as on any command line.
  const fileDir = sources.file === undefined ? sources.cwd : dirname(resolve(sources.cwd, sources.file.path));
  // Before this rule, `senderd init` wrote `dataDir: ./data` into ./data/senderd.yaml, meaning the file's own
  // directory as seen from the checkout. Read that way still, so an existing installation keeps its store.
  const earlierInit =
    origin.get('dataDir') === 'file' && resolve(sources.cwd, parsed.data.dataDir) === fileDir;
  const config = withResolvedPaths(parsed.data, (key) =>
    origin.get(key) === 'file' && !(key === 'dataDir' && earlierInit) ? fileDir : sources.cwd,
  );
  problems.push(...checkAll(config, rules));
  return problems.length > 0 ? { problems } : { config, problems: [] };
}

/** The defaults, with each top-level section replaced by the given one wherever that section is valid. */
function bestEffort(merged: Plain): Config {
  const out: Record<string, unknown> = { ...configDefaults };
  for (const [key, section] of Object.entries(configSchema.shape)) {
    const parsed = section.safeParse(merged[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Config;
}

/** Every path in the configuration made absolute: `baseOf(key)` is the directory a relative value is read from. */
function withResolvedPaths(config: Config, baseOf: (key: string) => string): Config {
  const at = (key: string, value: string) => (value === '' ? '' : resolve(baseOf(key), value));
  const dataDir = at('dataDir', config.dataDir);
  const inData = (key: string, value: string, fallback: string) =>
    value === '' ? join(dataDir, fallback) : at(key, value);
  const zone = normaliseDomainName(config.platform.zone);
  return {
    ...config,
    dataDir,
    platform: { ...config.platform, zone: zone.ok ? zone.value : config.platform.zone },
    domains: {
      ...config.domains,
      publicSuffixList: at('domains.publicSuffixList', config.domains.publicSuffixList),
    },
    store: { ...config.store, sqlitePath: inData('store.sqlitePath', config.store.sqlitePath, 'senderd.db') },
    secrets: { ...config.secrets, kekFile: inData('secrets.kekFile', config.secrets.kekFile, 'kek.key') },
    dns: {
      ...config.dns,
      tsigKeys: config.dns.tsigKeys.map((k) => ({ ...k, secretFile: at('dns.tsigKeys', k.secretFile) })),
    },
    inbound: {
      ...config.inbound,
      tlsKeyFile: at('inbound.tlsKeyFile', config.inbound.tlsKeyFile),
      tlsCertFile: at('inbound.tlsCertFile', config.inbound.tlsCertFile),
      postmasterMaildir: inData('inbound.postmasterMaildir', config.inbound.postmasterMaildir, 'postmaster'),
    },
    gateway: {
      ...config.gateway,
      tls: {
        ...config.gateway.tls,
        certFile: at('gateway.tls.certFile', config.gateway.tls.certFile),
        keyFile: at('gateway.tls.keyFile', config.gateway.tls.keyFile),
      },
      spool: { ...config.gateway.spool, dir: inData('gateway.spool.dir', config.gateway.spool.dir, 'spool') },
    },
    reports: {
      ...config.reports,
      imap: config.reports.imap.map((m) => ({ ...m, passwordFile: at('reports.imap', m.passwordFile) })),
    },
  };
}

/** The cross-key rules of config/ itself, then the capabilities' rules. */
function checkAll(config: Config, rules: readonly ConfigRule[]): ConfigProblem[] {
  return [
    ...checkConsistency(config),
    ...rules.flatMap((rule) => rule(config).map((p) => ({ source: 'value' as const, ...p }))),
  ];
}
