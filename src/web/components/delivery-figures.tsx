import { enc, getJson } from '../api/client.ts';
import type { DomainFigures } from '../api/types.ts';
import { Show, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';

/**
 * What came back from the domain's mail, per day (GET /v1/domains/{domain}/figures): a chart of the complaint
 * rate with the 0.3% line the large receivers hold bulk senders to (and 0.1%, the line to stay under), and the
 * table of sent, delivered, bounces by class, complaints and unsubscribes. Days below the minimum of deliveries
 * have no rate (a gap, not a zero).
 */
const W = 720;
const H = 160;
const PAD = { left: 52, right: 10, top: 10, bottom: 24 };
const LIMIT = 0.003;
const SAFE = 0.001;

const percent = (rate: number, digits = 2) => `${(rate * 100).toFixed(digits)}%`;

function ComplaintRateChart({ days }: { days: DomainFigures['days'] }) {
  const rates = days.map((d) => d.complaintRate);
  // From 0 to 0.5% (up to 1% when a day is above 0.5%): the lines stay readable, and a day far over the line is
  // drawn to the top (its title and the table give the figure).
  const top = Math.min(0.01, Math.max(0.005, ...rates.map((r) => r ?? 0)));
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const step = (W - PAD.left - PAD.right) / Math.max(days.length, 1);
  const bw = Math.min(step * 0.7, 28);
  const line = (value: number, className: string, text: string) => (
    <g>
      <line x1={PAD.left} x2={W - PAD.right} y1={y(value)} y2={y(value)} className={className} />
      <text x={PAD.left - 6} y={y(value) + 4} textAnchor="end" className="axis-label">
        {text}
      </text>
    </g>
  );
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Complaint rate per day, against the 0.3% line: ${days
        .map((d) => `${d.day} ${d.complaintRate === null ? 'no rate' : percent(d.complaintRate)}`)
        .join(', ')}`}
      className="chart complaint-rate"
    >
      {line(0, 'grid', '')}
      {line(SAFE, 'rate-safe-line', '0.1%')}
      {line(LIMIT, 'rate-limit-line', '0.3%')}
      {days.map((d, i) =>
        d.complaintRate === null ? null : (
          <rect
            key={d.day}
            x={PAD.left + step * (i + 0.5) - bw / 2}
            y={y(Math.min(d.complaintRate, top))}
            width={bw}
            height={y(0) - y(Math.min(d.complaintRate, top))}
            className={d.complaintRate >= LIMIT ? 'bar over-limit' : 'bar'}
          >
            <title>{`${d.day}: ${percent(d.complaintRate, 3)} (${d.complaints} of ${d.delivered})`}</title>
          </rect>
        ),
      )}
      {days.map((d, i) => (
        <text
          key={d.day}
          x={PAD.left + step * (i + 0.5)}
          y={H - 6}
          textAnchor="middle"
          className="axis-label"
        >
          {d.day.slice(5)}
        </text>
      ))}
    </svg>
  );
}

export function DeliveryFigures({ domain }: { domain: string }) {
  const [figures] = useLoad(
    () => getJson<DomainFigures>(`/v1/domains/${enc(domain)}/figures?days=30`),
    domain,
  );
  return (
    <Show loaded={figures} what="delivery figures">
      {(f) =>
        f.days.length === 0 ? (
          <p className="muted">No mail from this domain in the last 30 days.</p>
        ) : (
          <>
            <ComplaintRateChart days={f.days} />
            <p className="muted small">
              Complaint rate = complaints (feedback loops) / delivered, shown from {f.minimumDelivered}{' '}
              deliveries a day. Gmail, Yahoo and Microsoft require bulk senders to stay under 0.3%; events
              warn at 0.1% and 0.3%.
            </p>
            <div className="table-wrap">
              <table aria-label={`Delivery figures of ${domain}`} className="delivery-figures">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">Hard</th>
                    <th scope="col">Soft</th>
                    <th scope="col">Block</th>
                    <th scope="col">Unknown</th>
                    <th scope="col">Complaints</th>
                    <th scope="col">Unsubscribes</th>
                    <th scope="col">Complaint rate</th>
                  </tr>
                </thead>
                <tbody>
                  {[...f.days].reverse().map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{d.day}</th>
                      <td>{d.sent}</td>
                      <td>{d.delivered}</td>
                      <td>{d.bounced.hard}</td>
                      <td>{d.bounced.soft}</td>
                      <td>{d.bounced.block}</td>
                      <td>{d.bounced.unknown}</td>
                      <td>{d.complaints}</td>
                      <td>{d.unsubscribes}</td>
                      <td>
                        {d.complaintRate === null ? (
                          <span className="muted">-</span>
                        ) : d.complaintRate >= LIMIT ? (
                          <Badge tone="bad">{percent(d.complaintRate, 3)}</Badge>
                        ) : d.complaintRate >= SAFE ? (
                          <Badge tone="warn">{percent(d.complaintRate, 3)}</Badge>
                        ) : (
                          percent(d.complaintRate, 3)
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
    </Show>
  );
}
