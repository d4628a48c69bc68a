import { useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { Session, TenantSummary } from '../api/types.ts';
import { ErrorMessage, Show, formatDay, useLoad } from '../components/async.tsx';
import { Pager, pageOf } from '../components/pager.tsx';
import { navigate } from '../router.ts';

const PAGE = 50;

/** Operators: every tenant with its counts, and a way into each, read-only or as operator. */
export function OperatorPage({
  session,
  onSwitched,
}: {
  session: Session;
  onSwitched: (s: Session) => void;
}) {
  const [tenants] = useLoad(() => getJson<{ tenants: TenantSummary[] }>('/v1/operator/tenants'), 'tenants');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  if (session.user.role !== 'operator') return <p>Only operators see this page.</p>;
  const enter = async (tenant: string, access: 'read-only' | 'operator') => {
    setError(null);
    try {
      onSwitched(await sendJson<Session>('PUT', '/v1/session/tenant', { tenant, access }));
      navigate('/');
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <section>
      <h1>Tenants</h1>
      {error && <ErrorMessage error={error} />}
      <Show loaded={tenants} what="tenants">
        {({ tenants: list }) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Tenants</caption>
                <thead>
                  <tr>
                    <th scope="col">Tenant</th>
                    <th scope="col" className="num">
                      Domains
                    </th>
                    <th scope="col" className="num">
                      Verified
                    </th>
                    <th scope="col" className="num">
                      Users
                    </th>
                    <th scope="col">Added</th>
                    <th scope="col">Open</th>
                  </tr>
                </thead>
                <tbody>
                  {pageOf(list, offset, PAGE).map((t) => (
                    <tr key={t.id}>
                      <th scope="row">
                        {t.name}
                        {t.id === session.homeTenant.id && <span className="muted small"> (yours)</span>}
                      </th>
                      <td className="num">{t.domains.toLocaleString('en')}</td>
                      <td className="num">{t.verifiedDomains.toLocaleString('en')}</td>
                      <td className="num">{t.users}</td>
                      <td>{formatDay(t.createdAt)}</td>
                      <td>
                        {t.id !== session.tenant.id && (
                          <span className="actions tight">
                            <button
                              type="button"
                              className="small"
                              onClick={() => void enter(t.name, 'read-only')}
                              aria-label={`View ${t.name} read-only`}
                            >
                              View read-only
                            </button>
                            <button
                              type="button"
                              className="small secondary"
                              onClick={() => void enter(t.name, 'operator')}
                              aria-label={`Act in ${t.name} as operator`}
                            >
                              Act as operator
                            </button>
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager offset={offset} limit={PAGE} total={list.length} onChange={setOffset} label="Tenants" />
          </>
        )}
      </Show>
    </section>
  );
}
