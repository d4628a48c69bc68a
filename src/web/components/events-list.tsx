import { useState } from 'react';
import { enc, getJson } from '../api/client.ts';
import { Show, formatTime, useLoad } from './async.tsx';
import { Link } from './link.tsx';
import { Pager } from './pager.tsx';

interface EventPage {
  total: number;
  offset: number;
  limit: number;
  events: { id: string; type: string; severity: string; at: string; message: string }[];
}

interface Notifications {
  webhookUrl: string | null;
  emailTo: string[];
  minSeverity: string;
}

const PAGE = 20;

/** A domain's events, newest first, paged; and where notifications go. */
export function EventsList({ domain }: { domain: string }) {
  const [offset, setOffset] = useState(0);
  const [page, reload] = useLoad(
    () => getJson<EventPage>(`/v1/overview/domains/${enc(domain)}/events?offset=${offset}&limit=${PAGE}`),
    `${domain}|${offset}`,
  );
  const [notifications] = useLoad(() => getJson<Notifications>('/v1/notifications'), 'notifications');
  return (
    <>
      <Show loaded={notifications} what="notification settings">
        {(n) => (
          <p className="small">
            Notifications ({n.minSeverity} and above) go to{' '}
            {[
              n.webhookUrl ? `the webhook ${n.webhookUrl}` : null,
              n.emailTo.length > 0 ? n.emailTo.join(', ') : null,
            ]
              .filter(Boolean)
              .join(' and ') || 'nobody yet'}
            . <Link href="/notifications">Change where they go</Link>.
          </p>
        )}
      </Show>
      <div className="actions">
        <button type="button" className="small secondary" onClick={reload}>
          Refresh events
        </button>
      </div>
      <Show loaded={page} what="events">
        {(p) =>
          p.total === 0 ? (
            <p className="muted">No events for this domain yet.</p>
          ) : (
            <>
              <ul className="events">
                {p.events.map((e) => (
                  <li key={e.id} className={`event ${e.severity}`}>
                    <span className="badge tone-plain">{e.severity}</span>{' '}
                    <span className="muted small">{formatTime(e.at)}</span>{' '}
                    <code className="small">{e.type}</code>
                    <div>{e.message}</div>
                  </li>
                ))}
              </ul>
              <Pager offset={p.offset} limit={p.limit} total={p.total} onChange={setOffset} label="Events" />
            </>
          )
        }
      </Show>
    </>
  );
}
