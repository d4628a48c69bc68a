import { useEffect, useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { Delivery } from '../api/types.ts';
import { ErrorMessage, Show, formatTime, useLoad } from './async.tsx';
import { useSubmit } from './submit.tsx';

/** How often, and how many times, the list is read again while a test event's deliveries are pending. */
const POLL_MS = 1000;
const POLLS = 15;

const STATUS_BADGE: Record<Delivery['status'], string> = {
  delivered: 'state-active',
  pending: 'state-pending',
  failed: 'state-revoked',
};

/**
 * The tenant's latest notification deliveries with their status and last error, and a button that sends a test
 * event to every channel. After a test, the list is read again each second until nothing of it is pending (or
 * for 15 seconds: a delivery that keeps failing is retried later, with backoff, and its error is shown).
 */
export function Deliveries({ canSend, hasChannel }: { canSend: boolean; hasChannel: boolean }) {
  const [list, reload] = useLoad(
    () => getJson<{ deliveries: Delivery[] }>('/v1/notifications/deliveries?limit=10'),
    'deliveries',
  );
  const [watching, setWatching] = useState<{ eventId: string; polls: number } | null>(null);
  useEffect(() => {
    if (watching === null) return;
    const pending =
      list.state !== 'ready' ||
      list.value.deliveries.some((d) => d.eventId === watching.eventId && d.status === 'pending');
    if (!pending || watching.polls >= POLLS) return;
    const timer = setTimeout(() => {
      setWatching({ ...watching, polls: watching.polls + 1 });
      reload();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [watching, list, reload]);

  const {
    run: sendTest,
    error,
    busy,
  } = useSubmit(async () => {
    const r = await sendJson<{ event: { id: string } }>('POST', '/v1/notifications/test');
    setWatching({ eventId: r.event.id, polls: 0 });
    reload();
  });

  return (
    <>
      <h2 id="deliveries-h">Latest deliveries</h2>
      {canSend && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void sendTest()}
            disabled={busy || !hasChannel}
          >
            {busy ? 'Sending…' : 'Send a test event'}
          </button>
          <button type="button" className="small secondary" onClick={reload}>
            Refresh
          </button>
          {!hasChannel && <span className="muted small">Save a webhook URL or an e-mail address first.</span>}
        </div>
      )}
      {error && <ErrorMessage error={error} />}
      <Show loaded={list} what="the latest deliveries">
        {({ deliveries }) =>
          deliveries.length === 0 ? (
            <p className="muted">Nothing has been sent yet.</p>
          ) : (
            <div className="table-wrap" aria-live="polite">
              <table className="deliveries">
                <caption className="visually-hidden">The latest notification deliveries</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">To</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">
                        <code>{d.eventType}</code>
                      </th>
                      <td data-label="To">
                        {d.channel === 'webhook' ? 'webhook' : 'e-mail'}{' '}
                        <span className="small">{d.target.split(',').join(', ')}</span>
                      </td>
                      <td data-label="Status">
                        <span className={`badge ${STATUS_BADGE[d.status]}`}>{d.status}</span>
                        {d.lastError !== null && d.status !== 'delivered' && (
                          <div className="small warn-text">{d.lastError}</div>
                        )}
                      </td>
                      <td data-label="Attempts" className="num">
                        {d.attempts}
                      </td>
                      <td data-label="When">
                        {d.status === 'delivered'
                          ? `delivered ${formatTime(d.deliveredAt)}`
                          : d.status === 'pending'
                            ? `next try ${formatTime(d.nextAttemptAt)}`
                            : `queued ${formatTime(d.createdAt)}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
    </>
  );
}
