import { stringify } from 'yaml';
import { z } from 'zod';
import { configSchema } from './schema.ts';

interface JsonSchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: unknown;
}

const jsonSchema = z.toJSONSchema(configSchema, { io: 'input' }) as JsonSchemaNode;

/** A key of the reference, in document order. */
export interface ConfigKeyDoc {
  readonly path: string;
  readonly description: string;
  readonly defaultValue: unknown;
  readonly choices?: readonly unknown[];
}

/** Every key with its description and default, walked from the schema itself. */
export function describeConfig(): ConfigKeyDoc[] {
  const out: ConfigKeyDoc[] = [];
  const walk = (node: JsonSchemaNode, path: string[]) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const here = [...path, key];
      if (child.type === 'object' && child.properties !== undefined) walk(child, here);
      else {
        const doc: ConfigKeyDoc = {
          path: here.join('.'),
          description: child.description ?? '',
          defaultValue: child.default,
          ...(child.enum ? { choices: child.enum } : {}),
        };
        out.push(doc);
      }
    }
  };
  walk(jsonSchema, []);
  return out;
}

/**
 * The commented YAML file `senderd init` writes: every key, its description and its value. Keys given in
 * `values` are set; the rest show their defaults, so the file documents itself.
 */
export function renderConfigFile(values: Readonly<Record<string, unknown>>, header: string): string {
  const lines = header.split('\n').map((l) => `# ${l}`.trimEnd());
  lines.push('');
  // Sections nest (gateway.relay.enabled): open each level whose name changes, indented two spaces a level.
  let open: string[] = [];
  for (const key of describeConfig()) {
    const parts = key.path.split('.');
    const parents = parts.slice(0, -1);
    const indent = '  '.repeat(parents.length);
    let common = 0;
    while (common < open.length && common < parents.length && open[common] === parents[common]) common++;
    if (common < parents.length || common < open.length) {
      if (common === 0) lines.push('');
      for (let d = common; d < parents.length; d++) lines.push(`${'  '.repeat(d)}${parents[d]}:`);
      open = parents;
    }
    const value = key.path in values ? values[key.path] : key.defaultValue;
    const choices = key.choices ? ` One of: ${key.choices.join(', ')}.` : '';
    lines.push(`${indent}# ${key.description}${choices}`);
    const rendered = stringify({ [parts[parts.length - 1]!]: value }, { lineWidth: 0 }).trimEnd();
    for (const line of rendered.split('\n')) lines.push(`${indent}${line}`);
  }
  return lines.join('\n') + '\n';
}

/** docs/configuration.md, generated from the schema (`npm run docs:config`). */
export function renderConfigReference(envName: (path: string[]) => string): string {
  const rows = describeConfig().map((k) => {
    const def = JSON.stringify(k.defaultValue);
    const choices = k.choices ? ` One of: ${k.choices.map((c) => `\`${String(c)}\``).join(', ')}.` : '';
    const description = k.description.replace(
      /[<>|]/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '|': '\\|' })[c] ?? c,
    );
    return `| \`${k.path}\` | \`${envName(k.path.split('.'))}\` | \`${def}\` | ${description}${choices} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'Layers apply in this order, later ones winning: the defaults below, the YAML file (`--config`, `SENDERD_CONFIG`,',
    'or `./data/senderd.yaml`), `SENDERD_*` environment variables, and `--set key=value` flags. Lists and maps',
    'in the environment or a flag are JSON (`[...]`, `{...}`) or, for lists, comma-separated. Startup checks',
    'every layer and lists every problem at once.',
    '',
    '| key | environment | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
