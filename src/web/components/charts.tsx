/** Small charts in plain SVG: bars for volume, lines for rates. Each has a text alternative. */

export interface Series {
  name: string;
  className: string;
  values: (number | null)[];
}

const W = 720;
const H = 200;
const PAD = { left: 48, right: 10, top: 10, bottom: 28 };

function xAt(i: number, n: number, left = PAD.left): number {
  return left + ((i + 0.5) / Math.max(n, 1)) * (W - left - PAD.right);
}

/** A y-axis number: in full up to 9,999, then short (`250K`, `2.5M`); each bar's title has the exact count. */
const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
function axisNumber(v: number): string {
  return v < 10_000 ? v.toLocaleString('en') : COMPACT.format(v);
}

/** Room for the widest y-axis label (11px text, at most about 7 units a character), so none is cut off. */
function leftFor(labels: string[]): number {
  return Math.max(PAD.left, 12 + 7 * Math.max(0, ...labels.map((l) => l.length)));
}

function ticksFor(max: number): number[] {
  if (max <= 0) return [0];
  const step = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 5) ?? step * 10;
  const out: number[] = [];
  for (let v = 0; v <= max + nice / 2; v += nice) out.push(v);
  return out;
}

/** An axis label: the month and day, unless the chart says otherwise (a month's bars are named YYYY-MM). */
export type LabelOf = (day: string) => string;
const monthDay: LabelOf = (d) => d.slice(5);

function DayAxis({
  days,
  left = PAD.left,
  labelOf = monthDay,
}: {
  days: string[];
  left?: number;
  labelOf?: LabelOf | undefined;
}) {
  const every = Math.max(1, Math.ceil(days.length / 8));
  return (
    <>
      {days.map((d, i) =>
        i % every === 0 ? (
          <text key={d} x={xAt(i, days.length, left)} y={H - 8} textAnchor="middle" className="axis-label">
            {labelOf(d)}
          </text>
        ) : null,
      )}
    </>
  );
}

export function BarChart({
  days,
  values,
  label,
  labelOf,
}: {
  days: string[];
  values: number[];
  label: string;
  labelOf?: LabelOf;
}) {
  const max = Math.max(0, ...values);
  const ticks = ticksFor(max);
  const top = ticks[ticks.length - 1] || 1;
  const labels = ticks.map(axisNumber);
  const left = leftFor(labels);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const bw = ((W - left - PAD.right) / Math.max(days.length, 1)) * 0.7;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="chart">
      {ticks.map((t, i) => (
        <g key={t}>
          <line x1={left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
            {labels[i]}
          </text>
        </g>
      ))}
      {values.map((v, i) => (
        <rect
          key={days[i]}
          x={xAt(i, days.length, left) - bw / 2}
          y={y(v)}
          width={bw}
          height={y(0) - y(v)}
          className="bar"
        >
          <title>{`${days[i]}: ${v.toLocaleString('en')}`}</title>
        </rect>
      ))}
      <DayAxis days={days} left={left} labelOf={labelOf} />
    </svg>
  );
}

export function RateChart({
  days,
  series,
  label,
  labelOf,
}: {
  days: string[];
  series: Series[];
  label: string;
  labelOf?: LabelOf;
}) {
  const y = (v: number) => H - PAD.bottom - (v / 100) * (H - PAD.top - PAD.bottom);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="chart">
      {[0, 25, 50, 75, 100].map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
            {t}%
          </text>
        </g>
      ))}
      {series.map((s) => {
        const points = s.values
          .map((v, i) => (v === null ? null : `${xAt(i, days.length).toFixed(1)},${y(v).toFixed(1)}`))
          .filter((p): p is string => p !== null);
        return (
          <g key={s.name} className={s.className}>
            <polyline points={points.join(' ')} className="line" />
            {s.values.map((v, i) =>
              v === null ? null : (
                <circle key={i} cx={xAt(i, days.length)} cy={y(v)} r={3} className="dot">
                  <title>{`${s.name} ${days[i]}: ${v.toFixed(1)}%`}</title>
                </circle>
              ),
            )}
          </g>
        );
      })}
      <DayAxis days={days} labelOf={labelOf} />
    </svg>
  );
}

/** One horizontal bar split by share, with a legend that carries the numbers. */
export function ShareBar({
  parts,
  label,
}: {
  parts: { name: string; className: string; value: number }[];
  label: string;
}) {
  const total = parts.reduce((a, p) => a + p.value, 0);
  let at = 0;
  return (
    <figure className="share">
      <svg viewBox="0 0 400 24" role="img" aria-label={label} preserveAspectRatio="none">
        {parts.map((p) => {
          const w = total === 0 ? 0 : (p.value / total) * 400;
          const rect = <rect key={p.name} x={at} y={0} width={w} height={24} className={p.className} />;
          at += w;
          return rect;
        })}
      </svg>
      <figcaption className="legend">
        {parts.map((p) => (
          <span key={p.name}>
            <span className={`swatch ${p.className}`} aria-hidden="true" /> {p.name}:{' '}
            {p.value.toLocaleString('en')}
            {total > 0 ? ` (${((100 * p.value) / total).toFixed(1)}%)` : ''}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
