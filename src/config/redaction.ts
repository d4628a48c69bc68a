import type { z } from 'zod';
import { configSchema, type Config } from './schema.ts';
import { secretFields, type SecretKind } from './schema-fields.ts';

/**
 * Redaction driven by the schema's own marking (`secret(...)` in schema-fields.ts): `senderd config show` prints
 * the effective configuration through `redactConfig`, so a key marked secret can never be printed in clear, and a
 * new secret key needs only its marking. An empty secret stays empty, so the operator sees that it is unset.
 */

export const REDACTED = '[redacted]';

/** A secret key: its path (`[]` stands for any element of a list) and how it is shown. */
export interface SecretKey {
  readonly path: string;
  readonly kind: SecretKind;
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value of `schema` may have been checked by, wrappers (default, optional, pipe) taken off. */
function forms(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType !== undefined) return [schema, ...forms(def.innerType)];
  if (def.type === 'pipe' && def.in !== undefined) return [schema, ...forms(def.in)];
  if (def.type === 'union' && def.options !== undefined) return [schema, ...def.options.flatMap(forms)];
  return [schema];
}

const kindOf = (schema: z.ZodType): SecretKind | undefined =>
  forms(schema)
    .map((s) => secretFields.get(s)?.secret)
    .find((k) => k !== undefined);

function redactValue(value: unknown, kind: SecretKind): unknown {
  if (typeof value !== 'string' || value === '') return value;
  if (kind === 'value') return REDACTED;
  return value.replace(/\/\/[^@/]*@/, `//${REDACTED}@`).replace(/([?&]password=)[^&]*/gi, `$1${REDACTED}`);
}

function redactWith(schema: z.ZodType, value: unknown): unknown {
  const kind = kindOf(schema);
  if (kind !== undefined) return redactValue(value, kind);
  if (Array.isArray(value)) {
    const element = forms(schema)
      .map((s) => defOf(s).element)
      .find((e) => e !== undefined);
    return element === undefined ? value : value.map((v) => redactWith(element, v));
  }
  if (value !== null && typeof value === 'object') {
    const shapes = forms(schema)
      .map((s) => defOf(s).shape)
      .filter((s) => s !== undefined);
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        const child = shapes.map((shape) => shape[key]).find((c) => c !== undefined);
        return [key, child === undefined ? v : redactWith(child, v)];
      }),
    );
  }
  return value;
}

/** The configuration with every secret key redacted. */
export function redactConfig(config: Config): unknown {
  return redactWith(configSchema, config);
}

/** Every key the schema marks secret, walked from the schema itself. */
export function secretKeys(): SecretKey[] {
  const out: SecretKey[] = [];
  const walk = (schema: z.ZodType, path: string) => {
    const kind = kindOf(schema);
    if (kind !== undefined) {
      out.push({ path, kind });
      return;
    }
    for (const form of forms(schema)) {
      const def = defOf(form);
      if (def.element !== undefined) walk(def.element, `${path}[]`);
      for (const [key, child] of Object.entries(def.shape ?? {}))
        walk(child, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(configSchema, '');
  return out;
}
