import { enc, getJson } from '../api/client.ts';
import type { Reconciliation } from '../api/types.ts';
import { Show, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';

const pct = (v: number | null) => (v === null ? '–' : `${v}%`);

/**
 * What the gateway sent against what receivers reported (issue 21): coverage per receiver and day, an alarm where
 * a receiver counted more mail from senderd's addresses as this domain than was sent, and our own DKIM (by
 * selector) and SPF failure rates as receivers saw them.
 */
export function ReconciliationPanel({ domain }: { domain: string }) {
  const [rec] = useLoad(
    () => getJson<Reconciliation>(`/v1/domains/${enc(domain)}/reconciliation?days=14`),
    domain,
  );
  return (
    <Show loaded={rec} what="the reconciliation">
      {(r) =>
        r.rows.length === 0 ? (
          <p className="muted">Nothing sent through the gateway and nothing reported in the last 14 days.</p>
        ) : (
          <>
            <dl className="observed">
              <dt>Sent, seen</dt>
              <dd>
                {r.totals.sent} delivered, {r.totals.seen} counted by reporters (
                {pct(r.totals.coveragePercent)} coverage), {r.from} to {r.to}
              </dd>
              <dt>Alarms</dt>
              <dd>
                {r.totals.alarms === 0 ? (
                  <Badge tone="good">none</Badge>
                ) : (
                  <Badge tone="bad">{`${r.totals.alarms} day${r.totals.alarms === 1 ? '' : 's'} with more seen than sent`}</Badge>
                )}
              </dd>
              <dt>SPF as seen</dt>
              <dd>
                {r.totals.spf.failPercent}% failing of {r.totals.spf.messages}
              </dd>
              <dt>DKIM as seen</dt>
              <dd>
                {r.totals.dkim.length === 0
                  ? '–'
                  : r.totals.dkim.map((d) => (
                      <div key={`${d.selector}.${d.signingDomain}`}>
                        <code>
                          {d.selector}._domainkey.{d.signingDomain}
                        </code>{' '}
                        {d.failPercent}% failing of {d.messages}
                      </div>
                    ))}
              </dd>
            </dl>
            <table className="reconciliation">
              <caption className="muted small">
                Per day and receiver: messages the gateway delivered, and what that receiver&apos;s aggregate
                reports counted from senderd&apos;s addresses with this From domain.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Receiver</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Seen</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">DKIM failing</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((x) => (
                  <tr key={`${x.day}/${x.receiver}`} className={x.alarm ? 'alarm' : undefined}>
                    <td>{x.day}</td>
                    <td>{x.receiver}</td>
                    <td>{x.sent}</td>
                    <td>{x.seen}</td>
                    <td>
                      {x.alarm ? (
                        <Badge tone="bad">{`alarm: ${x.excess} more than sent`}</Badge>
                      ) : (
                        pct(x.coveragePercent)
                      )}
                    </td>
                    <td>{x.dkim.map((d) => `${d.selector} ${d.failPercent}%`).join(', ') || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      }
    </Show>
  );
}
