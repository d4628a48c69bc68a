import type { DkimKey, KeyState } from '../api/types.ts';

const STATES: KeyState[] = ['pending', 'active', 'retiring', 'retired'];
const WIDTH = 800;
const LEFT = 130;
const ROW = 28;
const WINDOW_MIN_MS = 14 * 86_400_000;

interface Segment {
  state: KeyState;
  from: number;
  to: number;
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

/** Each key as a row of coloured spans: pending → active → retiring → retired, ending where it was revoked. */
export function KeyTimeline({ keys, now = Date.now() }: { keys: DkimKey[]; now?: number }) {
  if (keys.length === 0) return null;
  const ordered = [...keys].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  // At least the last two weeks, so a new key is a short bar at the end rather than the whole width.
  const start = Math.min(now - WINDOW_MIN_MS, ...ordered.map((k) => Date.parse(k.createdAt)));
  const span = now - start;
  const x = (t: number) => LEFT + ((t - start) / span) * (WIDTH - LEFT - 40);
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
              {segments(k, now).map((s) => (
                <rect
                  key={s.state}
                  x={x(s.from)}
                  y={y}
                  width={Math.max(6, x(s.to) - x(s.from))}
                  height={ROW - 10}
                  className={`state-${s.state}`}
                >
                  <title>{`${k.selector}: ${s.state} from ${new Date(s.from).toISOString().slice(0, 10)}`}</title>
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
        <line x1={x(now) + 6} x2={x(now) + 6} y1={0} y2={height - 18} className="now-mark" />
        <text x={x(now) + 6} y={height - 4} textAnchor="middle" className="axis-label">
          now
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
      </figcaption>
    </figure>
  );
}
