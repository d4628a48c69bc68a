import { useState } from 'react';
import {
  reportCapabilities,
  reporters,
  reportSources,
  reportSummary,
  type ReportSummary,
} from '../api/reports.ts';
import { Show, percent, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';
import { BarChart, RateChart } from './charts.tsx';
import { SourcesTable } from './report-sources.tsx';
import { ReportUpload } from './report-upload.tsx';

/** Every UTC day of the window, so that days without reports show as gaps rather than vanishing. */
function windowDays(summary: ReportSummary): string[] {
  const days: string[] = [];
  const end = Date.parse(`${summary.window.to.slice(0, 10)}T00:00:00Z`);
  for (let t = Date.parse(`${summary.window.from.slice(0, 10)}T00:00:00Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function Charts({ summary }: { summary: ReportSummary }) {
  const days = windowDays(summary);
  const byDay = new Map(summary.daily.map((d) => [d.day.slice(0, 10), d]));
  const rate = (pick: (d: ReportSummary['daily'][number]) => number) =>
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
      <h4>Volume per day</h4>
      <BarChart
        days={days}
        values={days.map((d) => byDay.get(d)?.messages ?? 0)}
        label={`Messages per day, ${t.messages} in total`}
      />
      <h4>Pass rates per day</h4>
      <RateChart
        days={days}
        label={`Pass rates per day: DMARC ${percent(t.dmarcPass, t.messages)}, DKIM ${percent(t.dkimAligned, t.messages)}, SPF ${percent(t.spfAligned, t.messages)} overall`}
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
  const [days, setDays] = useState(30);
  // After an import the figures reload in place (without a loading state), so the import's outcome stays shown.
  const [data, reload] = useLoad(async () => {
    const caps = await reportCapabilities();
    if (!caps.statistics) return { caps, summary: null, sources: [], reporters: [] };
    const [summary, sources, list] = await Promise.all([
      reportSummary(domain, days),
      reportSources(domain, days),
      reporters(domain, days),
    ]);
    return { caps, summary, sources, reporters: list };
  }, `${domain}|${days}`);

  return (
    <Show loaded={data} what="report statistics">
      {(d) =>
        !d.caps.statistics || d.summary === null ? (
          <p className="message info" role="note">
            Report statistics are not available on this server yet: it has no DMARC report processing. Nothing
            is shown rather than made-up numbers.
          </p>
        ) : (
          <>
            <div className="toolbar">
              <label htmlFor="report-days">Period</label>
              <select id="report-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
                <option value={7}>last 7 days</option>
                <option value={30}>last 30 days</option>
                <option value={90}>last 90 days</option>
              </select>
            </div>
            {d.summary.totals.messages === 0 ? (
              <p>No aggregate reports in this period yet.</p>
            ) : (
              <Charts summary={d.summary} />
            )}
            <h4>Sources</h4>
            {d.sources.length === 0 ? (
              <p className="muted">No sources reported.</p>
            ) : (
              <SourcesTable sources={d.sources} />
            )}
            <h4>Reporters</h4>
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
