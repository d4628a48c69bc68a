import { useState } from 'react';
import { ApiError, enc, getJson, sendJson } from '../api/client.ts';
import type { DkimKey, DkimPolicy, Domain, DomainCheck, RecordPlan } from '../api/types.ts';
import { ErrorMessage, Show, formatTime, useLoad } from '../components/async.tsx';
import { Badge, VerifiedBadge } from '../components/badges.tsx';
import { CheckResults } from '../components/check-results.tsx';
import { DmarcLadder } from '../components/dmarc-ladder.tsx';
import { EdgeHosts } from '../components/edge-hosts.tsx';
import { MtaStsPanel } from '../components/mta-sts-panel.tsx';
import { BimiPanel } from '../components/bimi-panel.tsx';
import { DeliveryFigures } from '../components/delivery-figures.tsx';
import { TrackingPanel } from '../components/tracking-panel.tsx';
import { SendingSettings } from '../components/sending-settings.tsx';
import { EventsList } from '../components/events-list.tsx';
import { KeyTimeline } from '../components/key-timeline.tsx';
import { DomainLabel, uLabel } from '../components/domain-label.tsx';
import { Link } from '../components/link.tsx';
import { RemoveDomain } from '../components/remove-domain.tsx';
import { RecordPlanTable } from '../components/record-plan.tsx';
import { ReportView } from '../components/report-view.tsx';
import { ReconciliationPanel } from '../components/reconciliation-panel.tsx';

function DnsStatus({ domain, readOnly }: { domain: string; readOnly: boolean }) {
  const [latest, , setLatest] = useLoad(async () => {
    try {
      return (await getJson<{ check: DomainCheck }>(`/v1/domains/${enc(domain)}/check`)).check;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, domain);
  const [plan] = useLoad(() => getJson<RecordPlan>(`/v1/domains/${enc(domain)}/records`), domain);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setLatest(await sendJson<DomainCheck>('POST', `/v1/domains/${enc(domain)}/check`));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {!readOnly && (
        <div className="actions">
          <button type="button" onClick={() => void run()} disabled={busy}>
            {busy ? 'Checking…' : 'Check now'}
          </button>
        </div>
      )}
      <div aria-live="polite">
        {busy && <p role="status">Checking {domain}…</p>}
        {error && <ErrorMessage error={error} />}
        <Show loaded={latest} what="the latest check">
          {(c) => (c === null ? <p className="muted">Not checked yet.</p> : <CheckResults check={c} />)}
        </Show>
      </div>
      <details className="plan">
        <summary>The records to create</summary>
        <Show loaded={plan} what="the record plan">
          {(p) => <RecordPlanTable plan={p} />}
        </Show>
      </details>
    </>
  );
}

function Keys({ domain, readOnly }: { domain: string; readOnly: boolean }) {
  const [keys, reload] = useLoad(
    () => getJson<{ keys: DkimKey[] }>(`/v1/domains/${enc(domain)}/dkim/keys`),
    domain,
  );
  const [policy] = useLoad(() => getJson<DkimPolicy>(`/v1/domains/${enc(domain)}/dkim/policy`), domain);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      await sendJson('POST', `/v1/domains/${enc(domain)}/dkim/rotate`, {});
      reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Show loaded={policy} what="the rotation policy">
        {(p) => (
          <p className="small">
            A new key every {p.effective.rotationPeriod}; published {p.effective.leadTime} before it signs;
            the old key co-signs for {p.effective.overlap} and stays published for {p.effective.retention}.
          </p>
        )}
      </Show>
      <Show loaded={keys} what="keys">
        {({ keys: list }) =>
          list.length === 0 ? (
            <p className="muted">No keys yet: the first rotation publishes one.</p>
          ) : (
            <>
              <KeyTimeline
                keys={list}
                policy={policy.state === 'ready' ? policy.value.effective : undefined}
              />
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">DKIM keys</caption>
                  <thead>
                    <tr>
                      <th scope="col">Selector</th>
                      <th scope="col">State</th>
                      <th scope="col">Key</th>
                      <th scope="col">Created</th>
                      <th scope="col">Signing since</th>
                      <th scope="col">Seen in DNS</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((k) => (
                      <tr key={k.id}>
                        <th scope="row">{k.selector}</th>
                        <td>
                          <span className={`badge state-${k.state}`}>{k.state}</span>
                        </td>
                        <td>
                          {k.algorithm}
                          {k.algorithm === 'rsa' ? ` ${k.bits}` : ''}, {k.origin}
                          <div className="muted small" title={`SHA-256 ${k.fingerprint}`}>
                            {k.fingerprint.slice(0, 16)}…
                          </div>
                          {k.warnings.map((w) => (
                            <div key={w} className="small warn-text">
                              {w}
                            </div>
                          ))}
                        </td>
                        <td>{formatTime(k.createdAt)}</td>
                        <td>{formatTime(k.activatedAt)}</td>
                        <td>{formatTime(k.visibleAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Show>
      {!readOnly && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void rotate()} disabled={busy}>
            {busy ? 'Publishing a new key…' : 'Rotate now'}
          </button>
        </div>
      )}
      {error && <ErrorMessage error={error} />}
    </>
  );
}

const SECTIONS = [
  ['status', 'DNS status'],
  ['keys', 'Keys'],
  ['https', 'HTTPS host'],
  ['figures', 'Delivery'],
  ['tracking', 'Opens and clicks'],
  ['dmarc', 'DMARC rollout'],
  ['reports', 'Reports'],
  ['events', 'Events'],
] as const;

/** Everything about one sender domain, section by section. */
export function DomainPage({
  name,
  readOnly,
  removes,
}: {
  name: string;
  readOnly: boolean;
  removes: boolean;
}) {
  const [domain] = useLoad(() => getJson<Domain>(`/v1/domains/${enc(name)}`), name);
  // Bumped by an import in the reports section, so the DMARC impact preview reads the new reports.
  const [reportsVersion, setReportsVersion] = useState(0);
  return (
    <Show loaded={domain} what={name}>
      {(d) => (
        <article className="domain">
          <p className="crumbs">
            <Link href="/">Domains</Link> /
          </p>
          <div className="heading-row">
            <h1>
              <DomainLabel name={d.name} />
            </h1>
            <VerifiedBadge verified={d.verified} />
            <Badge tone="plain">{d.settings.mode}</Badge>
          </div>
          <p className="muted small">
            Token <code>{d.token}</code> · bounces to {d.settings.bounceLabel}.{d.name} · clicks via{' '}
            {d.settings.clickLabel}.{d.name}
            {d.settings.tracking ? ' (tracked)' : ' (not tracked)'} · added {formatTime(d.createdAt)}
          </p>
          <nav className="sections" aria-label="Sections of this page">
            {SECTIONS.map(([id, title]) => (
              <a key={id} href={`#${id}`}>
                {title}
              </a>
            ))}
          </nav>
          <section id="status" aria-labelledby="status-h">
            <h2 id="status-h">DNS status</h2>
            <DnsStatus domain={d.name} readOnly={readOnly} />
          </section>
          <section id="keys" aria-labelledby="keys-h">
            <h2 id="keys-h">DKIM keys and rotation</h2>
            <Keys domain={d.name} readOnly={readOnly} />
          </section>
          <section id="https" aria-labelledby="https-h">
            <h2 id="https-h">HTTPS host and certificate</h2>
            <EdgeHosts domain={d.name} />
          </section>
          <section id="figures" aria-labelledby="figures-h">
            <h2 id="figures-h">Delivery, bounces and complaints</h2>
            <DeliveryFigures domain={d.name} />
          </section>
          <section id="tracking" aria-labelledby="tracking-h">
            <h2 id="tracking-h">Opens and clicks</h2>
            <TrackingPanel domain={d.name} />
            <SendingSettings domain={d} readOnly={readOnly} />
          </section>
          <section id="mta-sts" aria-labelledby="mta-sts-h">
            <h2 id="mta-sts-h">MTA-STS and TLS reports</h2>
            <MtaStsPanel domain={d.name} />
          </section>
          <section id="bimi" aria-labelledby="bimi-h">
            <h2 id="bimi-h">BIMI logo</h2>
            <BimiPanel domain={d.name} />
          </section>
          <section id="dmarc" aria-labelledby="dmarc-h">
            <h2 id="dmarc-h">DMARC rollout</h2>
            <DmarcLadder domain={d.name} readOnly={readOnly} reportsVersion={reportsVersion} />
          </section>
          <section id="reports" aria-labelledby="reports-h">
            <h2 id="reports-h">Reports</h2>
            <ReportView
              domain={d.name}
              readOnly={readOnly}
              onImported={() => setReportsVersion((v) => v + 1)}
            />
          </section>
          <section id="reconciliation" aria-labelledby="reconciliation-h">
            <h2 id="reconciliation-h">Sent against reported</h2>
            <ReconciliationPanel domain={d.name} />
          </section>
          <section id="events" aria-labelledby="events-h">
            <h2 id="events-h">Events</h2>
            <EventsList domain={d.name} />
          </section>
          {removes && (
            <section id="remove" aria-labelledby="remove-h2">
              <h2 id="remove-h2">Remove this domain</h2>
              <RemoveDomain name={d.name} display={uLabel(d.name)} />
            </section>
          )}
        </article>
      )}
    </Show>
  );
}
