import { useState, type FormEvent } from 'react';
import {
  reportCapabilities,
  reporters,
  reportSources,
  reportSummary,
  uploadReport,
  type ReportSource,
  type ReportSummary,
  type UploadOutcome,
} from '../api/reports.ts';
import { ErrorMessage, Show, percent, useLoad } from './async.tsx';
import { BarChart, RateChart, ShareBar } from './charts.tsx';
import { Pager, pageOf } from './pager.tsx';

const SOURCE_PAGE = 25;

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

function SourcesTable({ sources }: { sources: ReportSource[] }) {
  const [offset, setOffset] = useState(0);
  const byClass = (c: ReportSource['class']) =>
    sources.filter((s) => s.class === c).reduce((a, s) => a + s.messages, 0);
  return (
    <>
      <ShareBar
        label="Messages by source class"
        parts={[
          { name: 'this platform', className: 'class-platform', value: byClass('platform') },
          { name: 'forwarders', className: 'class-forwarder', value: byClass('forwarder') },
          { name: 'unknown', className: 'class-unknown', value: byClass('unknown') },
        ]}
      />
      <div className="table-wrap">
        <table className="sources">
          <caption className="visually-hidden">Sending sources</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Class</th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                DMARC pass
              </th>
              <th scope="col" className="num">
                DKIM aligned
              </th>
              <th scope="col" className="num">
                SPF aligned
              </th>
            </tr>
          </thead>
          <tbody>
            {pageOf(sources, offset, SOURCE_PAGE).map((s) => (
              <tr key={s.sourceIp}>
                <th scope="row" data-label="Source">
                  <code>{s.sourceIp}</code>
                  <div className="muted small">{s.ptr ?? 'no reverse name'}</div>
                </th>
                <td data-label="Class">
                  <span className={`badge class-${s.class}`}>{s.class}</span>
                </td>
                <td data-label="Messages" className="num">
                  {s.messages.toLocaleString('en')}
                </td>
                <td data-label="DMARC pass" className="num">
                  {percent(s.dmarcPass, s.messages)}
                </td>
                <td data-label="DKIM aligned" className="num">
                  {percent(s.dkimAligned, s.messages)}
                </td>
                <td data-label="SPF aligned" className="num">
                  {percent(s.spfAligned, s.messages)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        offset={offset}
        limit={SOURCE_PAGE}
        total={sources.length}
        onChange={setOffset}
        label="Sources"
      />
    </>
  );
}

function Upload({ onUploaded, readOnly }: { onUploaded: () => void; readOnly: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [outcomes, setOutcomes] = useState<UploadOutcome[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  if (readOnly) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    try {
      setOutcomes(await uploadReport(file));
      onUploaded();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="upload" onSubmit={(e) => void submit(e)}>
      <label htmlFor="report-file">Import a report (XML, JSON, gzip, zip, .eml or mbox)</label>
      <input id="report-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <button type="submit" disabled={file === null || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {error && <ErrorMessage error={error} />}
      {outcomes && (
        <ul role="status" className="outcomes">
          {outcomes.map((o, i) => (
            <li key={i}>
              {o.status === 'stored'
                ? `Stored ${o.kind === undefined ? '' : `${o.kind} `}report ${o.reportId ?? ''} from ${o.reporter ?? 'an unknown reporter'}: ${o.messages ?? 0} messages in ${o.records ?? 0} rows.`
                : o.status === 'duplicate'
                  ? `Already imported: ${o.reportId ?? ''} from ${o.reporter ?? 'an unknown reporter'}.`
                  : `Refused (${o.reason ?? 'unknown reason'}): ${o.message ?? ''}`}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

/** Report charts, sources and reporters of one domain, or a plain statement that this server has none. */
export function ReportView({ domain, readOnly }: { domain: string; readOnly: boolean }) {
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
            {d.caps.upload && <Upload readOnly={readOnly} onUploaded={reload} />}
          </>
        )
      }
    </Show>
  );
}
