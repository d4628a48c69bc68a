import { enc, getJson } from '../api/client.ts';
import type { DomainEdge, EdgeHostStatus } from '../api/types.ts';
import { Show, formatTime, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';

const TONE: Record<EdgeHostStatus['status'], 'good' | 'warn' | 'bad' | 'info' | 'plain'> = {
  waiting: 'plain',
  pending: 'info',
  issued: 'good',
  renewing: 'warn',
  failed: 'bad',
  expired: 'bad',
};

const ROLE: Record<string, string> = {
  click: 'click and open tracking',
  'mta-sts': 'MTA-STS policy (RFC 8461)',
};

/**
 * The domain's customer hosts (clicks.<domain>) and their certificates: the status as a badge whose text says it,
 * why in a sentence, the expiry and renewal, and the CA's error when an order failed.
 */
export function EdgeHosts({ domain }: { domain: string }) {
  const [edge] = useLoad(() => getJson<DomainEdge>(`/v1/domains/${enc(domain)}/edge`), domain);
  return (
    <Show loaded={edge} what="the HTTPS hosts">
      {(e) =>
        e.hosts.length === 0 ? (
          <p className="muted">No host: tracking and MTA-STS are off for this domain.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Customer hosts and their certificates</caption>
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Certificate</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">Renews from</th>
                </tr>
              </thead>
              <tbody>
                {e.hosts.map((h) => (
                  <tr key={h.hostname}>
                    <th scope="row">
                      <code>{h.hostname}</code>
                      <div className="muted small">{ROLE[h.role] ?? h.role}</div>
                    </th>
                    <td>
                      <Badge tone={TONE[h.status]}>{h.status}</Badge>
                      <div className="small">{h.reason}</div>
                      {h.lastError && (
                        <div className="small warn-text">
                          The CA said: <q>{h.lastError.message}</q>
                        </div>
                      )}
                    </td>
                    <td>{formatTime(h.certificate?.notAfter ?? null)}</td>
                    <td>{formatTime(h.certificate?.renewAt ?? null)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Show>
  );
}
