import { createHash } from 'node:crypto';

/**
 * MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) for a sender domain's inbound mail, as pure rules: the
 * policy text served on `https://mta-sts.<domain>/.well-known/mta-sts.txt`, its id (which changes whenever the
 * text changes), the `_mta-sts` and `_smtp._tls` TXT records, and the MX matching senders apply (§4.1), so that
 * senderd can refuse a policy that would send the customer's own mail servers' mail elsewhere.
 */

/** RFC 8461 §5: `none` withdraws the policy (§8.3) while senders that cached it forget it. */
export type MtaStsMode = 'testing' | 'enforce' | 'none';

export interface MtaStsSettings {
  readonly mode: MtaStsMode;
  /** The `mx:` patterns of the policy (§3.2), lower case, no trailing dot: `mx1.example.com` or `*.example.net`. */
  readonly mx: readonly string[];
  /** The MX hosts the last check saw for the domain (RFC 5321 §5.1), and when. */
  readonly checkedMx: readonly string[];
  readonly checkedAt: string | null;
}

/** max_age by mode, in seconds (RFC 8461 §3.2: at most 31557600). */
export interface MtaStsMaxAge {
  readonly testing: number;
  readonly enforce: number;
}

/** A day while testing; a week once enforced (RFC 8461 §3.2 suggests weeks or more for enforce). */
export const DEFAULT_MAX_AGE: MtaStsMaxAge = { testing: 86_400, enforce: 604_800 };

/** RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
export const MAX_MAX_AGE = 31_557_600;

export function maxAgeOf(mode: MtaStsMode, maxAge: MtaStsMaxAge): number {
  return Math.min(MAX_MAX_AGE, mode === 'enforce' ? maxAge.enforce : maxAge.testing);
}

/**
 * The policy text (RFC 8461 §3.2): `version` first, then `mode`, one `mx` per pattern, `max_age`. Lines end in
 * CRLF, as the ABNF's sts-policy-term-delim allows (LF alone is allowed too; CRLF is what every sender accepts).
 */
export function mtaStsPolicyText(
  settings: Pick<MtaStsSettings, 'mode' | 'mx'>,
  maxAge: MtaStsMaxAge,
): string {
  const lines = [
    'version: STSv1',
    `mode: ${settings.mode}`,
    ...settings.mx.map((p) => `mx: ${p}`),
    `max_age: ${maxAgeOf(settings.mode, maxAge)}`,
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

/**
 * RFC 8461 §3.1: `id` is 1 to 32 letters and digits and must change whenever the policy changes. It is taken
 * from the text itself (SHA-256, 32 hex digits), so every node computes the same id and no id is stored.
 */
export function mtaStsPolicyId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** RFC 8461 §3.1: the TXT record at `_mta-sts.<domain>`. */
export function mtaStsRecord(id: string): string {
  return `v=STSv1; id=${id};`;
}

/** RFC 8460 §3: the TXT record at `_smtp._tls.<domain>`, reports to the domain's own address on the reports host. */
export function tlsRptRecord(token: string, reportsHost: string): string {
  return `v=TLSRPTv1; rua=mailto:${token}@${reportsHost}`;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An `mx:` pattern as a person typed it, made canonical (lower case, no trailing dot), or a reason. RFC 8461 §3.2:
 * a pattern is a host name, or `*.` and a name (the wildcard stands for exactly one leftmost label, §4.1).
 */
export function parseMxPattern(input: string): { ok: true; value: string } | { ok: false; error: string } {
  let p = input.trim().toLowerCase();
  if (p.endsWith('.')) p = p.slice(0, -1);
  const rest = p.startsWith('*.') ? p.slice(2) : p;
  const labels = rest.split('.');
  if (p.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return {
      ok: false,
      error: `"${input}" is not an MX host name or a pattern such as *.example.net (RFC 8461 §3.2)`,
    };
  return { ok: true, value: p };
}

/**
 * RFC 8461 §4.1: an MX host matches a pattern when they are equal (case-insensitively), or when the pattern is
 * `*.<rest>` and the host is one label followed by `.<rest>` (`*.example.com` matches `mx.example.com`, not
 * `a.b.example.com` and not `example.com`).
 */
export function mxMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return h === p;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** The MX hosts that no pattern of the policy covers: with `enforce`, senders would refuse to deliver to them. */
export function uncoveredMx(hosts: readonly string[], patterns: readonly string[]): string[] {
  return hosts.filter((h) => !patterns.some((p) => mxMatches(h, p)));
}
