import { enc, getJson } from '../api/client.ts';
import type { components } from '../api/openapi.ts';
import { Show, useLoad } from './async.tsx';
import { BarChart, RateChart } from './charts.tsx';

type TrackingFigures = components['schemas']['TrackingFigures'];

const percent = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;

/**
 * The domain's opens and clicks over the last 30 days (GET /v1/domains/{domain}/tracking): delivered per day, the
 * open and click rates of people, the machines beside them (privacy proxies fetch images whether or not anyone
 * reads; scanners follow links before anyone does), and the links by people's clicks.
 */
export function TrackingPanel({ domain }: { domain: string }) {
  const [figures] = useLoad(() => getJson<TrackingFigures>(`/v1/domains/${enc(domain)}/tracking`), domain);
  return (
    <Show loaded={figures} what="the tracking figures">
      {(f) => {
        const t = f.totals;
        const byDay = new Map(f.days.map((d) => [d.day, d]));
        const days: string[] = [];
        for (
          let at = Date.parse(`${f.from}T00:00:00Z`);
          at <= Date.parse(`${f.to}T00:00:00Z`);
          at += 86_400_000
        )
          days.push(new Date(at).toISOString().slice(0, 10));
        const rate = (pick: (d: TrackingFigures['days'][number]) => number) =>
          days.map((d) => {
            const day = byDay.get(d);
            return day === undefined || day.delivered === 0
              ? null
              : Math.min(100, (100 * pick(day)) / day.delivered);
          });
        return (
          <>
            <p className="muted small">
              {f.from} to {f.to} (UTC). Opens and clicks are unique per message and recipient; only people
              count in the rates.
            </p>
            <dl className="figures">
              <div>
                <dt>Delivered</dt>
                <dd>{t.delivered.toLocaleString('en')}</dd>
              </div>
              <div>
                <dt>Opened by people</dt>
                <dd>
                  {t.opens.human.toLocaleString('en')} ({percent(t.opens.human, t.delivered)})
                </dd>
              </div>
              <div>
                <dt>Clicked by people</dt>
                <dd>
                  {t.clicks.human.toLocaleString('en')} ({percent(t.clicks.human, t.delivered)})
                </dd>
              </div>
              <div>
                <dt>Privacy-proxy opens</dt>
                <dd>{t.opens['privacy-proxy'].toLocaleString('en')}</dd>
              </div>
              <div>
                <dt>Scanner opens and clicks</dt>
                <dd>{(t.opens.scanner + t.clicks.scanner).toLocaleString('en')}</dd>
              </div>
            </dl>
            <h4>Delivered per day</h4>
            <BarChart
              days={days}
              values={days.map((d) => byDay.get(d)?.delivered ?? 0)}
              label={`Recipients delivered per day, ${t.delivered} in total`}
            />
            <h4>Open and click rates of people per day</h4>
            <RateChart
              days={days}
              label={`People's open rate ${percent(t.opens.human, t.delivered)} and click rate ${percent(t.clicks.human, t.delivered)} overall`}
              series={[
                { name: 'Opened by people', className: 'series-dmarc', values: rate((d) => d.opens.human) },
                { name: 'Clicked by people', className: 'series-dkim', values: rate((d) => d.clicks.human) },
              ]}
            />
            <p className="legend">
              <span>
                <span className="swatch series-dmarc" aria-hidden="true" /> opened by people
              </span>
              <span>
                <span className="swatch series-dkim" aria-hidden="true" /> clicked by people
              </span>
            </p>
            <h4>Links</h4>
            {f.links.length === 0 ? (
              <p className="muted">No clicks in this period.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Links by people's clicks</caption>
                  <thead>
                    <tr>
                      <th scope="col">Link</th>
                      <th scope="col">People</th>
                      <th scope="col">Click-through</th>
                      <th scope="col">Clicks by people</th>
                      <th scope="col">Scanners</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.links.map((l) => (
                      <tr key={l.url}>
                        <th scope="row">
                          <code>{l.url}</code>
                        </th>
                        <td>{l.unique.human.toLocaleString('en')}</td>
                        <td>{percent(l.unique.human, t.delivered)}</td>
                        <td>{l.humanClicks.toLocaleString('en')}</td>
                        <td>{l.unique.scanner.toLocaleString('en')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        );
      }}
    </Show>
  );
}
