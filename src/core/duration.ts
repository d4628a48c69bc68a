/**
 * Durations in configuration and settings are written as a number and a unit (`30d`, `72h`, `90s`, `500ms`), so a
 * person reads them without arithmetic. Parsed once, at the boundary, into milliseconds.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const DURATION_PATTERN = /^(\d{1,9})(ms|s|m|h|d|w)$/;

/** Milliseconds of a duration like `30d`; null for anything else. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text.trim());
  return m === null ? null : Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Milliseconds of a duration that was already validated (config values); throws on a malformed one. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 30d, 72h, 90s)`);
  return ms;
}

/** The largest whole unit that divides `ms` exactly: 2592000000 → `30d`. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
