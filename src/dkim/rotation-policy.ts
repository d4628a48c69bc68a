import { z } from 'zod';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../core/index.ts';

/**
 * How a domain's keys rotate. The platform sets defaults (config section `dkim`); a domain may override each
 * value. All durations in milliseconds once resolved.
 */
export interface RotationPolicy {
  /** How long a generated key is active before its successor takes over (default 30 days: monthly). */
  readonly rotationPeriodMs: number;
  /** How long a new key is published before it may sign; at least twice the record TTL (DESIGN.md). */
  readonly leadTimeMs: number;
  /** How long the previous key keeps co-signing beside the new one. */
  readonly overlapMs: number;
  /** How long a key stays published after its last signature, so mail in transit still verifies. */
  readonly retentionMs: number;
  /** When an imported (customer-supplied) key has been active this long, the tenant is told it is ageing. */
  readonly agingThresholdMs: number;
  /** Sign with an Ed25519 key beside the RSA key (RFC 8463). */
  readonly ed25519: boolean;
  /** Modulus length of generated RSA keys. */
  readonly rsaBits: number;
}

/** The policy as it is written in config and in per-domain settings: durations as text (`30d`). */
export interface PolicyText {
  readonly rotationPeriod: string;
  readonly leadTime: string;
  readonly overlap: string;
  readonly retention: string;
  readonly agingThreshold: string;
  readonly ed25519: boolean;
  readonly rsaBits: number;
}

const duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as 30d, 72h or 90m');

/**
 * The modulus lengths senderd generates RSA keys with. RFC 8301 §3.2 sets 1024 as the floor for verifiers and
 * 2048 as the recommendation for signers; past 4096 signing gets slow for no gain receivers reward. The config,
 * the API's schemas and the service all ask this list.
 */
export const RSA_KEY_BITS = [2048, 3072, 4096] as const;
export type RsaKeyBits = (typeof RSA_KEY_BITS)[number];
/** RSA_KEY_BITS in words, for messages and descriptions: "2048, 3072 or 4096". */
export const RSA_KEY_BITS_TEXT = `${RSA_KEY_BITS.slice(0, -1).join(', ')} or ${RSA_KEY_BITS.at(-1)}`;
/**
 * One of RSA_KEY_BITS. A union of single literals rather than one multi-value z.literal: the OpenAPI generator
 * (zod-to-openapi) documents only the first value of a multi-value literal (its pull request #391).
 */
export const rsaKeyBits = z.union(
  RSA_KEY_BITS.map((bits) => z.literal(bits)),
  { error: `must be ${RSA_KEY_BITS_TEXT}` },
);

/** A domain's overrides, as the API and CLI accept them. Every field optional; null clears an override. */
export const policyOverridesInput = z.strictObject({
  rotationPeriod: duration.nullable().optional(),
  leadTime: duration.nullable().optional(),
  overlap: duration.nullable().optional(),
  retention: duration.nullable().optional(),
  agingThreshold: duration.nullable().optional(),
  ed25519: z.boolean().nullable().optional(),
  rsaBits: rsaKeyBits.nullable().optional(),
});

export type PolicyOverrides = { -readonly [K in keyof PolicyText]?: PolicyText[K] };

/** Merges an input into stored overrides: a value sets, null clears, absence keeps. */
export function mergeOverrides(
  current: PolicyOverrides,
  input: z.infer<typeof policyOverridesInput>,
): PolicyOverrides {
  const out: Record<string, unknown> & PolicyOverrides = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out;
}

export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The effective policy: platform defaults with the domain's overrides on top, checked as a whole. With three
 * selectors, the next key is published `leadTime` before the current one's period ends; by then the key before
 * it must have finished its overlap and retention, or there is no free selector. Hence
 * lead + overlap + retention ≤ period.
 */
export function resolvePolicy(
  defaults: PolicyText,
  overrides: PolicyOverrides,
  ttlSeconds: number,
): { policy: RotationPolicy; problems: PolicyProblem[] } {
  const text: PolicyText = { ...defaults, ...overrides };
  const problems: PolicyProblem[] = [];
  const ms = (key: 'rotationPeriod' | 'leadTime' | 'overlap' | 'retention' | 'agingThreshold') => {
    const value = parseDuration(text[key]);
    if (value === null) problems.push({ path: key, message: 'must be a duration such as 30d, 72h or 90m' });
    return value ?? 0;
  };
  const policy: RotationPolicy = {
    rotationPeriodMs: ms('rotationPeriod'),
    leadTimeMs: ms('leadTime'),
    overlapMs: ms('overlap'),
    retentionMs: ms('retention'),
    agingThresholdMs: ms('agingThreshold'),
    ed25519: text.ed25519,
    rsaBits: text.rsaBits,
  };
  if (problems.length > 0) return { policy, problems };
  const minLead = 2 * ttlSeconds * 1000;
  if (policy.leadTimeMs < minLead) {
    problems.push({
      path: 'leadTime',
      message: `must be at least twice the record TTL (${formatDuration(minLead)}), so caches hold the new key before it signs`,
    });
  }
  if (policy.retentionMs < ttlSeconds * 1000) {
    problems.push({
      path: 'retention',
      message: `must be at least the record TTL (${formatDuration(ttlSeconds * 1000)})`,
    });
  }
  const needed = policy.leadTimeMs + policy.overlapMs + policy.retentionMs;
  if (needed > policy.rotationPeriodMs) {
    problems.push({
      path: 'rotationPeriod',
      message: `must be at least leadTime + overlap + retention (${formatDuration(needed)}), or the three selectors run out`,
    });
  }
  if (policy.agingThresholdMs <= 0) problems.push({ path: 'agingThreshold', message: 'must be positive' });
  if (!rsaKeyBits.safeParse(policy.rsaBits).success)
    problems.push({ path: 'rsaBits', message: `must be ${RSA_KEY_BITS_TEXT}` });
  return { policy, problems };
}
