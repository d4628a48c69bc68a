/** The field types the config sections share: ports, listeners, durations, labels, names, server addresses. */
import { z } from 'zod';
import { DURATION_PATTERN } from '../core/index.ts';
import { normaliseDomainName } from '../domain-name/index.ts';
import { parseServerAddress } from '../resolver/index.ts';

export const port = (value: number, what: string) =>
  z.number().int().min(0).max(65535).default(value).describe(`${what} (0 picks a free port).`);

/** A domain name, checked like every other (src/domain-name): the reason is the message. */
export const domainName = z.string().superRefine((value, ctx) => {
  const parsed = normaliseDomainName(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
});

export const label = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be one DNS label: a-z, 0-9 and inner hyphens');

/** The three keys of a listening component: whether it runs on this node, and where it listens. */
export const listen = (host: string, portValue: number, what: string) => ({
  enabled: z.boolean().default(true).describe(`Run the ${what} component on this node.`),
  host: z.string().min(1).default(host).describe(`Address the ${what} component listens on.`),
  port: port(portValue, `Port of the ${what} component`),
});

export const duration = (value: string, what: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, 'must be a duration such as 30d, 72h, 90s')
    .default(value)
    .describe(`${what} (a duration: 30d, 72h, 90s).`);

/** A DNS server: an IP address, optionally with a port (`[v6]:port`). */
export const serverAddress = z
  .string()
  .refine((s) => parseServerAddress(s) !== null, 'must be an IP address, optionally with :port ([v6]:port)');

/**
 * How a secret is shown by `senderd config show`: `value` hides the whole value, `url-credentials` hides only the
 * user and password of a URL (and a `password=` parameter), so the operator still sees which server is meant.
 */
export type SecretKind = 'value' | 'url-credentials';

/** The one marking of secret keys: redaction (src/config/redaction.ts) walks the schema and reads it. */
export const secretFields = z.registry<{ secret: SecretKind }>();

/** Marks `schema` (the finished key: default and description applied) as a secret. */
export function secret<T extends z.ZodType>(schema: T, kind: SecretKind = 'value'): T {
  secretFields.add(schema, { secret: kind });
  return schema;
}
