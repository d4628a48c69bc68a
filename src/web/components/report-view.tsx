import { useState } from 'react';
import {
  reportCapabilities,
  reporters,
  reportSources,
  reportSummary,
  type Basis,
  type Period,
  type ReportSummary,
} from '../api/reports.ts';
import { Show, percent, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';
import { BarChart, RateChart, type LabelOf } from './charts.tsx';
import { SourcesTable } from './report-sources.tsx';
import { ReportUpload } from './report-upload.tsx';

const DAY = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The first day of every bar of the window (a day, an ISO week from Monday, or a month, as the server summed
 * `series`), so that bars without reports show as gaps rather than vanishing.
 */
function windowBuckets(summary: ReportSummary): string[] {
  const { from, to, bucket } = summary.window;
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  if (bucket === 'month') {
    const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
    for (; d.getTime() <= end; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(dayOf(d.getTime()));
    return out;
  }
  let t = Date.parse(`${from}T00:00:00Z`);
  if (bucket === 'week') t -= ((new Date(t).getUTCDay() + 6) % 7) * DAY;
  for (; t <= end; t += bucket === 'week' ? 7 * DAY : DAY) out.push(dayOf(t));
  return out;
}

function Charts({ summary }: { summary: ReportSummary }) {
  const days = windowBuckets(summary);
  const bucket = summary.window.bucket;
  const labelOf: LabelOf | undefined =
    bucket === 'month'
      ? (d) => d.slice(0, 7)
      : summary.window.from.slice(0, 4) !== summary.window.to.slice(0, 4)
        ? (d) => d
        : undefined;
  const byDay = new Map(summary.series.map((d) => [d.day.slice(0, 10), d]));
  const rate = (pick: (d: ReportSummary['series'][number]) => number) =>
    days.map((day) => {
      const d = byDay.get(day);
      return d === undefined || d.messages === 0 ? null : (100 * pick(d)) / d.messages;
    });
  const t = summary.totals;
  return (
    <>
      <dl className="figures">
        <div>
          <dt>Messages reported</dt>
          <dd>{t.messages.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>DMARC pass</dt>
          <dd>{percent(t.dmarcPass, t.messages)}</dd>
        </div>
        <div>
          <dt>DKIM aligned pass</dt>
          <dd>{percent(t.dkimAligned, t.messages)}</dd>
        </div>
        <div>
          <dt>SPF aligned pass</dt>
          <dd>{percent(t.spfAligned, t.messages)}</dd>
        </div>
        <div>
          <dt>Reports</dt>
          <dd>{t.reports.toLocaleString('en')}</dd>
        </div>
      </dl>
      <h4>Volume per {bucket}</h4>
      <BarChart
        days={days}
        labelOf={labelOf}
        values={days.map((d) => byDay.get(d)?.messages ?? 0)}
        label={`Messages per ${bucket}, ${t.messages} in total`}
      />
      <h4>Pass rates per {bucket}</h4>
      <RateChart
        days={days}
        labelOf={labelOf}
        label={`Pass rates per ${bucket}: DMARC ${percent(t.dmarcPass, t.messages)}, DKIM ${percent(t.dkimAligned, t.messages)}, SPF ${percent(t.spfAligned, t.messages)} overall`}
        series={[
          { name: 'DMARC pass', className: 'series-dmarc', values: rate((d) => d.dmarcPass) },
          { name: 'DKIM aligned', className: 'series-dkim', values: rate((d) => d.dkimAligned) },
          { name: 'SPF aligned', className: 'series-spf', values: rate((d) => d.spfAligned) },
        ]}
      />
      <p className="legend">
        <span>
          <span className="swatch series-dmarc" aria-hidden="true" /> DMARC pass
        </span>
        <span>
          <span className="swatch series-dkim" aria-hidden="true" /> DKIM aligned
        </span>
        <span>
          <span className="swatch series-spf" aria-hidden="true" /> SPF aligned
        </span>
      </p>
    </>
  );
}

type Verification = Awaited<ReturnType<typeof reporters>>[number]['verification'];

/**
 * Who really sent a reporter's reports: verified (DKIM, forward-confirmed reverse DNS, an operator), unverified
 * (the rua address is public: anyone can send a report naming any org_name; the autopilot ignores these), or
 * legacy (stored before verification existed).
 */
function ReporterCheck({ v }: { v: Verification }) {
  const counts = [
    v.verified > 0 ? `${v.verified} verified` : '',
    v.unverified > 0 ? `${v.unverified} unverified` : '',
    v.legacy > 0 ? `${v.legacy} from before verification` : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
  const why = v.unverifiedReason === null ? '' : ` Unverified: ${v.unverifiedReason}.`;
  switch (v.status) {
    case 'verified':
      return (
        <Badge tone="good" title={`Verified as ${v.verifiedAs.join(', ')}.`}>
          verified
        </Badge>
      );
    case 'unverified':
      return (
        <Badge tone="bad" title={`Nothing proves who sent these reports; the autopilot ignores them.${why}`}>
          unverified
        </Badge>
      );
    case 'legacy':
      return (
        <Badge
          tone="info"
          title="Stored before reporter verification existed; counted for a transition period."
        >
          legacy
        </Badge>
      );
    case 'mixed':
      return (
        <Badge tone="warn" title={`${counts}.${why}`}>
          mixed
        </Badge>
      );
    case 'none':
      return <span className="muted">—</span>;
  }
}

/** Report charts, sources and reporters of one domain, or a plain statement that this server has none. */
export function ReportView({
  domain,
  readOnly,
  onImported,
}: {
  domain: string;
  readOnly: boolean;
  /** Told after an import, so other views built on the reports (the DMARC impact preview) refresh too. */
  onImported?: () => void;
}) {
  const [period, setPeriod] = useState<Period>({ kind: 'days', days: 30, basis: 'cover' });
  // After an import the figures reload in place (without a loading state), so the import's outcome stays shown.
  const [data, reload] = useLoad(
    async () => {
      const caps = await reportCapabilities();
      if (!caps.statistics) return { caps, summary: null, sources: null, reporters: [] };
      const [summary, sources, list] = await Promise.all([
        reportSummary(domain, period),
        reportSources(domain, period),
        reporters(domain, period),
      ]);
      return { caps, summary, sources, reporters: list };
    },
    `${domain}|${JSON.stringify(period)}`,
  );

  return (
    <Show loaded={data} what="report statistics">
      {(d) =>
        !d.caps.statistics || d.summary === null || d.sources === null ? (
          <p className="message info" role="note">
            Report statistics are not available on this server yet: it has no DMARC report processing. Nothing
            is shown rather than made-up numbers.
          </p>
        ) : (
          <>
            <PeriodPicker period={period} onChange={setPeriod} window={d.summary.window} />
            {d.summary.totals.messages === 0 ? (
              <p>
                No aggregate reports {d.summary.window.from} to {d.summary.window.to}, by{' '}
                {d.summary.window.basis === 'cover' ? 'the dates reports cover' : 'arrival'}. Choose all time,
                another range, or the other kind of date above.
              </p>
            ) : (
              <Charts summary={d.summary} />
            )}
            <h4>Sources</h4>
            {d.sources.sources.length === 0 ? (
              <p className="muted">No sources reported.</p>
            ) : (
              <SourcesTable list={d.sources} />
            )}
            <h4>Reporters</h4>
            {period.basis === 'arrival' && (
              <p className="muted small">Reporters are counted by the dates their reports cover.</p>
            )}
            {d.reporters.length === 0 ? (
              <p className="muted">No reporters yet.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Reporter</th>
                      <th scope="col">Sender checked</th>
                      <th scope="col" className="num">
                        Reports
                      </th>
                      <th scope="col" className="num">
                        Messages
                      </th>
                      <th scope="col" className="num">
                        DMARC pass
                      </th>
                      <th scope="col">Last report</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.reporters.map((r) => (
                      <tr key={r.reporter}>
                        <th scope="row">
                          {r.reporter}
                          {r.silent && <span className="badge tone-warn">silent</span>}
                        </th>
                        <td>
                          <ReporterCheck v={r.verification} />
                        </td>
                        <td className="num">{r.reports.toLocaleString('en')}</td>
                        <td className="num">{r.messages.toLocaleString('en')}</td>
                        <td className="num">{percent(r.dmarcPass, r.messages)}</td>
                        <td>{r.lastDay ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {d.caps.upload && (
              <ReportUpload
                readOnly={readOnly}
                onUploaded={() => {
                  reload();
                  onImported?.();
                }}
              />
            )}
          </>
        )
      }
    </Show>
  );
}

const today = () => dayOf(Date.now());

/**
 * The period: a few recent windows, all time, or a range of days; and which date places a report in it (the days
 * it covers, or the day it arrived). A range applies once both days are valid and in order.
 */
function PeriodPicker({
  period,
  onChange,
  window,
}: {
  period: Period;
  onChange: (p: Period) => void;
  window: ReportSummary['window'];
}) {
  // The view reloads (and this picker mounts again) on each change: a range starts from the applied one.
  const [from, setFrom] = useState(period.kind === 'range' ? period.from : window.from);
  const [to, setTo] = useState(period.kind === 'range' ? period.to : window.to);
  const choice = period.kind === 'days' ? String(period.days) : period.kind;
  const applyRange = (f: string, t: string) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(f) && /^\d{4}-\d{2}-\d{2}$/.test(t) && f <= t) {
      onChange({ kind: 'range', from: f, to: t, basis: period.basis });
    }
  };
  return (
    <div className="toolbar">
      <label htmlFor="report-days">Period</label>
      <select
        id="report-days"
        value={choice}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'all') onChange({ kind: 'all', basis: period.basis });
          else if (v === 'range') {
            const f = window.from;
            const t = window.to > today() ? today() : window.to;
            setFrom(f);
            setTo(t);
            onChange({ kind: 'range', from: f, to: t, basis: period.basis });
          } else onChange({ kind: 'days', days: Number(v), basis: period.basis });
        }}
      >
        <option value="7">last 7 days</option>
        <option value="30">last 30 days</option>
        <option value="90">last 90 days</option>
        <option value="365">last 365 days</option>
        <option value="all">all time</option>
        <option value="range">from … to …</option>
      </select>
      {period.kind === 'range' && (
        <>
          <label htmlFor="report-from">From</label>
          <input
            id="report-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => {
              setFrom(e.target.value);
              applyRange(e.target.value, to);
            }}
          />
          <label htmlFor="report-to">To</label>
          <input
            id="report-to"
            type="date"
            value={to}
            min={from}
            onChange={(e) => {
              setTo(e.target.value);
              applyRange(from, e.target.value);
            }}
          />
        </>
      )}
      <label htmlFor="report-basis">Dates</label>
      <select
        id="report-basis"
        value={period.basis}
        onChange={(e) => onChange({ ...period, basis: e.target.value as Basis })}
      >
        <option value="cover">that reports cover</option>
        <option value="arrival">reports arrived</option>
      </select>
    </div>
  );
}
