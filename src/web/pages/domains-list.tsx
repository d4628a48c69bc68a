import { useEffect, useState } from 'react';
import { getJson } from '../api/client.ts';
import type { DomainPage } from '../api/types.ts';
import { Show, formatTime, useLoad } from '../components/async.tsx';
import { Badge, GradeBadge, RecordCounts, VerifiedBadge } from '../components/badges.tsx';
import { DomainLabel, uLabel } from '../components/domain-label.tsx';
import { Link } from '../components/link.tsx';
import { Pager } from '../components/pager.tsx';
import { domainPath } from '../router.ts';

const PAGE = 50;

/** Keys older than this many days get a warning badge (rotation is monthly by default). */
const KEY_AGE_WARNING = 45;

export function DomainsPage({ readOnly }: { readOnly: boolean }) {
  // The domain page's removal comes back here with ?removed=<name>, to say it is done.
  const [removed] = useState(() => new URLSearchParams(location.search).get('removed'));
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  // Search as the user types, after a short pause, from the first page.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(search.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);
  const [page] = useLoad(
    () =>
      getJson<DomainPage>(
        `/v1/overview/domains?q=${encodeURIComponent(query)}&offset=${offset}&limit=${PAGE}`,
      ),
    `${query}|${offset}`,
  );

  return (
    <section>
      <div className="heading-row">
        <h1>Sender domains</h1>
        {!readOnly && (
          <Link href="/domains/new" className="button">
            Add a domain
          </Link>
        )}
      </div>
      {removed !== null && (
        <p className="message info" role="status">
          {uLabel(removed)} is removed.
        </p>
      )}
      <div className="toolbar">
        <label htmlFor="domain-search">Find a domain</label>
        <input
          id="domain-search"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="part of a name"
        />
      </div>
      <Show loaded={page} what="domains">
        {(p) =>
          p.total === 0 && query === '' ? (
            <div className="empty">
              <p>You have no sender domains yet.</p>
              {!readOnly && (
                <p>
                  <Link href="/domains/new">Add your first domain</Link>: senderd tells you which DNS records
                  to create.
                </p>
              )}
            </div>
          ) : (
            <>
              <div className="table-wrap">
                <table className="domains">
                  <caption className="visually-hidden">Sender domains with their status</caption>
                  <thead>
                    <tr>
                      <th scope="col">Domain</th>
                      <th scope="col">Verified</th>
                      <th scope="col">DNS check</th>
                      <th scope="col">Records</th>
                      <th scope="col">DMARC step</th>
                      <th scope="col">Signing key</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.domains.map((d) => (
                      <tr key={d.name}>
                        <th scope="row">
                          <Link href={domainPath(d.name)}>
                            <DomainLabel name={d.name} />
                          </Link>
                          {d.mode === 'self-hosted' && <span className="muted small"> self-hosted</span>}
                        </th>
                        <td data-label="Verified">
                          <VerifiedBadge verified={d.verified} />
                        </td>
                        <td data-label="DNS check">
                          {d.check ? (
                            <>
                              <GradeBadge grade={d.check.grade} />{' '}
                              <span className="muted small">{formatTime(d.check.checkedAt)}</span>
                            </>
                          ) : (
                            <span className="muted">never checked</span>
                          )}
                        </td>
                        <td data-label="Records">
                          <RecordCounts records={d.records} />
                        </td>
                        <td data-label="DMARC step">
                          <Badge
                            tone={d.dmarc.p === 'none' ? 'info' : d.dmarc.p === 'reject' ? 'good' : 'plain'}
                          >
                            {d.dmarc.label}
                          </Badge>
                          {d.dmarc.autopilot && <span className="muted small"> autopilot</span>}
                        </td>
                        <td data-label="Signing key">
                          {d.key ? (
                            <Badge
                              tone={d.key.ageDays > KEY_AGE_WARNING ? 'warn' : 'plain'}
                              title={`${d.key.algorithm}, ${d.key.origin}`}
                            >
                              {`${d.key.selector}, ${d.key.ageDays} ${d.key.ageDays === 1 ? 'day' : 'days'} old`}
                            </Badge>
                          ) : (
                            <span className="muted">no active key</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {p.total === 0 && <p>No domain matches “{query}”.</p>}
              <Pager offset={p.offset} limit={p.limit} total={p.total} onChange={setOffset} label="Domains" />
            </>
          )
        }
      </Show>
    </section>
  );
}
