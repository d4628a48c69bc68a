import { useState } from 'react';
import { getJson, request, sendJson } from '../api/client.ts';
import type { Session, Suppression, SuppressionAudit } from '../api/types.ts';
import { ErrorMessage, Show, formatTime, useLoad } from '../components/async.tsx';
import { Badge } from '../components/badges.tsx';
import { Pager } from '../components/pager.tsx';
import { useSubmit } from '../components/submit.tsx';

const LIMIT = 50;

const TONE: Record<Suppression['reason'], 'bad' | 'warn' | 'info' | 'plain'> = {
  'hard-bounce': 'bad',
  'soft-bounce': 'warn',
  complaint: 'bad',
  unsubscribe: 'info',
  manual: 'plain',
};

interface ImportOutcome {
  added: number;
  unchanged: number;
  problems: { line: number; message: string }[];
}

/**
 * The tenant's suppression list (docs/bounces.md): the addresses the gateway refuses at RCPT, each with why
 * (hard bounce, repeated soft bounces, complaint, unsubscribe, a person), the evidence and who added it. People
 * search it, add and remove addresses (the reason goes to the audit trail shown below), import a CSV and export
 * the list; a read-only view only lists.
 */
export function SuppressionsPage({ session }: { session: Session }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query = `search=${encodeURIComponent(search.trim())}&limit=${LIMIT}&offset=${offset}`;
  const [list, reload] = useLoad(
    () => getJson<{ suppressions: Suppression[]; total: number }>(`/v1/suppressions?${query}`),
    query,
  );
  const [audit, reloadAudit] = useLoad(
    () => getJson<{ audit: SuppressionAudit[] }>('/v1/suppressions/audit?limit=20'),
    'suppression-audit',
  );
  const manage = session.access !== 'read-only';
  const changed = () => {
    reload();
    reloadAudit();
  };
  return (
    <section>
      <h1>Suppression list of {session.tenant.name}</h1>
      <p className="small">
        The gateway refuses these recipients at RCPT with a reply that names the reason. Hard bounces,
        complaints and unsubscribes add to it at once; repeated soft bounces for a while.
      </p>
      <div className="toolbar">
        <label htmlFor="suppression-search">Search</label>
        <input
          id="suppression-search"
          type="search"
          value={search}
          placeholder="part of an address"
          onChange={(e) => {
            setSearch(e.target.value);
            setOffset(0);
          }}
        />
        <a className="button secondary small" href="/v1/suppressions/export" download="suppressions.csv">
          Export CSV
        </a>
      </div>
      <Show loaded={list} what="the suppression list">
        {({ suppressions, total }) => (
          <>
            <p className="muted small" aria-live="polite">
              {total.toLocaleString('en')} {total === 1 ? 'address' : 'addresses'}
              {search.trim() === '' ? '' : ` matching “${search.trim()}”`}
            </p>
            {suppressions.length > 0 && (
              <SuppressionTable items={suppressions} manage={manage} onChanged={changed} />
            )}
            <Pager
              offset={offset}
              limit={LIMIT}
              total={total}
              onChange={setOffset}
              label="Suppression list"
            />
          </>
        )}
      </Show>
      {manage && <AddSuppression onAdded={changed} />}
      {manage && <ImportSuppressions onImported={changed} />}
      <h2>Recent changes</h2>
      <Show loaded={audit} what="the audit trail">
        {({ audit: rows }) =>
          rows.length === 0 ? (
            <p className="muted">No changes yet.</p>
          ) : (
            <ul className="audit" aria-label="Recent changes to the suppression list">
              {rows.map((a, i) => (
                <li key={`${a.at}-${i}`}>
                  {formatTime(a.at)}: <strong>{a.address}</strong>
                  {a.domain === null ? '' : ` for ${a.domain}`} {a.action}
                  {a.reason === null ? '' : ` (${a.reason})`} by <code>{a.actor}</code>: {a.why}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}

function SuppressionTable({
  items,
  manage,
  onChanged,
}: {
  items: Suppression[];
  manage: boolean;
  onChanged: () => void;
}) {
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const [why, setWhy] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    if (removing === null) return;
    if (why.trim() === '') throw new Error('Say why it is removed: it goes to the audit trail.');
    const scope = removing.domain === null ? '' : `&domain=${encodeURIComponent(removing.domain)}`;
    await sendJson(
      'DELETE',
      `/v1/suppressions/${encodeURIComponent(removing.address)}?why=${encodeURIComponent(why.trim())}${scope}`,
    );
    setRemoving(null);
    setWhy('');
    onChanged();
  });
  return (
    <>
      <div className="table-wrap">
        <table aria-label="Suppressed addresses">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Applies to</th>
              <th scope="col">Reason</th>
              <th scope="col">Evidence</th>
              <th scope="col">Since</th>
              <th scope="col">Until</th>
              <th scope="col">Added by</th>
              {manage && <th scope="col" aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={`${s.address} ${s.domain ?? ''}`}>
                <th scope="row">{s.address}</th>
                <td>
                  {s.domain === null ? (
                    <span className="muted">every sender domain</span>
                  ) : (
                    <>
                      mail from <code>{s.domain}</code>
                    </>
                  )}
                </td>
                <td>
                  <Badge tone={TONE[s.reason]}>{s.reason}</Badge>{' '}
                  <span className="muted small">{s.source}</span>
                </td>
                <td className="small evidence">{s.evidence}</td>
                <td>{formatTime(s.createdAt)}</td>
                <td>
                  {s.expiresAt === null ? (
                    <span className="muted">until removed</span>
                  ) : (
                    formatTime(s.expiresAt)
                  )}
                </td>
                <td>
                  <code>{s.createdBy}</code>
                </td>
                {manage && (
                  <td>
                    <button
                      type="button"
                      className="small secondary"
                      aria-label={`Remove ${labelOf(s)}`}
                      onClick={() => {
                        setRemoving(s);
                        setWhy('');
                      }}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {removing !== null && (
        <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="remove-h">
          <h2 id="remove-h">Remove {labelOf(removing)}</h2>
          <p className="small">
            Mail to it is accepted again. Who removed it and why stay in the audit trail.
          </p>
          <label htmlFor="remove-why">Why</label>
          <input id="remove-why" maxLength={1000} value={why} onChange={(e) => setWhy(e.target.value)} />
          {error && <ErrorMessage error={error} />}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Removing…' : 'Remove from the list'}
            </button>
            <button type="button" className="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}

/** An entry as buttons and headings name it: the address, and the sender domain of a scoped entry. */
const labelOf = (s: Suppression) => (s.domain === null ? s.address : `${s.address} for ${s.domain}`);

function AddSuppression({ onAdded }: { onAdded: () => void }) {
  const [address, setAddress] = useState('');
  const [why, setWhy] = useState('');
  const [domain, setDomain] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    if (why.trim() === '') throw new Error('Say why: it is kept as the evidence and in the audit trail.');
    await sendJson('POST', '/v1/suppressions', {
      address: address.trim(),
      why: why.trim(),
      ...(domain.trim() === '' ? {} : { domain: domain.trim() }),
    });
    setAddress('');
    setWhy('');
    setDomain('');
    onAdded();
  });
  return (
    <form
      className="card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="add-suppression-h"
    >
      <h2 id="add-suppression-h">Suppress an address</h2>
      <label htmlFor="suppress-address">Address</label>
      <input
        id="suppress-address"
        type="email"
        autoComplete="off"
        maxLength={320}
        value={address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <label htmlFor="suppress-why">Why</label>
      <input id="suppress-why" maxLength={1000} value={why} onChange={(e) => setWhy(e.target.value)} />
      <label htmlFor="suppress-domain">Only for mail from (optional)</label>
      <input
        id="suppress-domain"
        autoComplete="off"
        maxLength={253}
        placeholder="news.example.com"
        aria-describedby="suppress-domain-help"
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
      />
      <p className="help" id="suppress-domain-help">
        One of your sender domains: the gateway then refuses the address only when the MAIL FROM is in that
        domain. Empty: every sender domain.
      </p>
      {error && <ErrorMessage error={error} />}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Suppress'}
        </button>
      </div>
    </form>
  );
}

function ImportSuppressions({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const { submit, error, busy } = useSubmit(async () => {
    if (file === null) throw new Error('Choose a CSV file whose first line names an address column.');
    const res = await request('POST', '/v1/suppressions/import', undefined, {
      raw: await file.text(),
      contentType: 'text/csv',
    });
    setOutcome((await res.json()) as ImportOutcome);
    onImported();
  });
  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="import-h">
      <h2 id="import-h">Import a CSV file</h2>
      <p className="small">
        A header row naming an <code>address</code> column; <code>reason</code>, <code>evidence</code>,{' '}
        <code>expires_at</code> and <code>domain</code> (a sender domain the entry is limited to) are kept
        when present (an export imports back as it was).
      </p>
      <label htmlFor="import-file">CSV file</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      {error && <ErrorMessage error={error} />}
      {outcome && (
        <div role="status" className="small">
          Added {outcome.added}, unchanged {outcome.unchanged}
          {outcome.problems.length > 0 && (
            <ul>
              {outcome.problems.map((p) => (
                <li key={p.line}>
                  Line {p.line}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
    </form>
  );
}
