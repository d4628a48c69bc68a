import type { DkimKey, DkimPolicy, KeyState } from '../api/types.ts';

const STATES: KeyState[] = ['pending', 'active', 'retiring', 'retired'];
const WIDTH = 800;
const LEFT = 130;
const RIGHT = 20;
const ROW = 28;
const DAY = 86_400_000;
/** The server's defaults (docs/dkim.md), for a timeline drawn before the policy has loaded. */
const DEFAULT_PERIOD = 30 * DAY;
const DEFAULT_LEAD = 3 * DAY;

interface Segment {
  state: KeyState;
  from: number;
  to: number;
  /** Not happened yet: what the rotation schedule will do (drawn pale). */
  planned?: boolean;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY };

/** Milliseconds of a policy duration as the API writes it (`30d`, `72h`: src/core/duration.ts). */
function durationMs(text: string | undefined, fallback: number): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text ?? '');
  return m === null ? fallback : Number(m[1]) * UNIT_MS[m[2]!]!;
}

/**
 * What the schedule will do next with a key, so that a new key is a bar with a future rather than a sliver at
 * the right edge: a pending key signs once its lead time has passed, an active key starts retiring when the
 * next rotation period begins.
 */
function planned(key: DkimKey, now: number, period: number, lead: number): Segment[] {
  if (key.revokedAt !== null || key.retiringAt !== null) return [];
  if (key.activatedAt === null) {
    const from = Math.max(now, Date.parse(key.createdAt) + lead);
    return [
      { state: 'pending', from: now, to: from, planned: true },
      { state: 'active', from, to: from + period, planned: true },
    ];
  }
  const from = Math.max(now, Date.parse(key.activatedAt) + period);
  return [{ state: 'retiring', from, to: from + lead, planned: true }];
}

/** The spans a key spent in each state, up to now. */
function segments(key: DkimKey, now: number): Segment[] {
  const marks: [KeyState, string | null][] = [
    ['pending', key.createdAt],
    ['active', key.activatedAt],
    ['retiring', key.retiringAt],
    ['retired', key.retiredAt],
    ['revoked', key.revokedAt],
  ];
  const known = marks
    .filter((m): m is [KeyState, string] => m[1] !== null)
    .map(([state, at]) => ({ state, at: Date.parse(at) }));
  return known
    .map((m, i) => ({ state: m.state, from: m.at, to: known[i + 1]?.at ?? now }))
    .filter((s) => s.state !== 'revoked');
}

/**
 * Each key as a row of coloured spans: pending → active → retiring → retired, ending where it was revoked, and
 * the next planned step drawn pale. The window runs one rotation period past now and back to the oldest key
 * (at most two periods, at least half of one), so "now" sits in the middle part, never at an edge.
 */
export function KeyTimeline({
  keys,
  policy,
  now = Date.now(),
}: {
  keys: DkimKey[];
  policy?: DkimPolicy['effective'] | undefined;
  now?: number;
}) {
  if (keys.length === 0) return null;
  const period = durationMs(policy?.rotationPeriod, DEFAULT_PERIOD);
  const lead = durationMs(policy?.leadTime, DEFAULT_LEAD);
  const ordered = [...keys].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const oldest = Math.min(...ordered.map((k) => Date.parse(k.createdAt)));
  const start = Math.min(now - period / 2, Math.max(oldest, now - 2 * period));
  const end = now + period;
  const clamp = (t: number) => Math.min(end, Math.max(start, t));
  const x = (t: number) => LEFT + ((clamp(t) - start) / (end - start)) * (WIDTH - LEFT - RIGHT);
  const height = ordered.length * ROW + 30;
  const summary = ordered
    .map(
      (k) =>
        `${k.selector} ${k.state} since ${(k.revokedAt ?? k.retiredAt ?? k.retiringAt ?? k.activatedAt ?? k.createdAt).slice(0, 10)}`,
    )
    .join('; ');
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Key timeline: ${summary}`}>
        {ordered.map((k, row) => {
          const y = row * ROW + 4;
          return (
            <g key={k.id}>
              <text x={0} y={y + 15} className="axis-label">
                {k.selector} · {k.algorithm}
                {k.algorithm === 'rsa' ? `-${k.bits}` : ''}
              </text>
              {[...segments(k, now), ...planned(k, now, period, lead)]
                .filter((s) => s.to > start)
                .map((s) => (
                  <rect
                    key={`${s.state}${s.planned ? '-planned' : ''}`}
                    x={x(s.from)}
                    y={y}
                    width={Math.max(6, x(s.to) - x(s.from))}
                    height={ROW - 10}
                    className={`state-${s.state}${s.planned ? ' planned' : ''}`}
                  >
                    <title>{`${k.selector}: ${s.state} ${s.planned ? 'planned ' : ''}from ${new Date(s.from).toISOString().slice(0, 10)}`}</title>
                  </rect>
                ))}
              {k.revokedAt && (
                <line
                  x1={x(Date.parse(k.revokedAt))}
                  x2={x(Date.parse(k.revokedAt))}
                  y1={y - 2}
                  y2={y + ROW - 8}
                  className="revoked-mark"
                />
              )}
            </g>
          );
        })}
        <text x={LEFT} y={height - 4} className="axis-label">
          {new Date(start).toISOString().slice(0, 10)}
        </text>
        <line x1={x(now)} x2={x(now)} y1={0} y2={height - 18} className="now-mark" />
        <text x={x(now)} y={height - 4} textAnchor="middle" className="axis-label">
          now
        </text>
        <text x={WIDTH - RIGHT} y={height - 4} textAnchor="end" className="axis-label">
          {new Date(end).toISOString().slice(0, 10)}
        </text>
      </svg>
      <figcaption className="legend">
        {STATES.map((s) => (
          <span key={s}>
            <span className={`swatch state-${s}`} aria-hidden="true" /> {s}
          </span>
        ))}
        <span>
          <span className="swatch revoked" aria-hidden="true" /> revoked
        </span>
        <span>
          <span className="swatch state-active planned" aria-hidden="true" /> planned
        </span>
      </figcaption>
    </figure>
  );
}
