import type { DomainCheck, Remark } from '../api/types.ts';
import { formatTime } from './async.tsx';
import { GradeBadge } from './badges.tsx';

function Remarks({ remarks }: { remarks: Remark[] }) {
  if (remarks.length === 0) return null;
  return (
    <ul className="remarks">
      {remarks.map((m, i) => (
        <li key={i} className={`remark ${m.severity}`}>
          <span className="severity">{m.severity}</span> {m.message}{' '}
          <code className="muted small">{m.code}</code>
        </li>
      ))}
    </ul>
  );
}

/** A check of the domain's DNS: the grade of each planned record, what is wrong, and what each server answered. */
export function CheckResults({ check }: { check: DomainCheck }) {
  return (
    <div className="check">
      <p>
        Overall: <GradeBadge grade={check.grade} /> · checked {formatTime(check.checkedAt)} ·{' '}
        {check.stats.queries} queries in {(check.stats.ms / 1000).toFixed(1)} s ·{' '}
        {check.verification.verified ? 'the DNS shows this domain’s token: verified' : 'not verified yet'}
      </p>
      {check.zone.remarks.length > 0 && (
        <div className="zone-remarks">
          <h4>The zone {check.zone.apex ?? ''}</h4>
          <Remarks remarks={check.zone.remarks} />
        </div>
      )}
      <div className="table-wrap">
        <table className="check-records">
          <caption className="visually-hidden">Check result per record</caption>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Grade</th>
              <th scope="col">Remarks and what the servers answered</th>
            </tr>
          </thead>
          <tbody>
            {check.records.map((r) => (
              <tr key={r.key}>
                <th scope="row" data-label="Record">
                  <code>{r.name}</code> {r.type}
                  <div className="muted small">{r.purpose}</div>
                </th>
                <td data-label="Grade">
                  <GradeBadge grade={r.grade} />
                </td>
                <td data-label="Remarks">
                  <Remarks remarks={r.remarks} />
                  {r.remarks.length === 0 && <span className="muted">As planned.</span>}
                  <details>
                    <summary>Expected and observed values ({r.observed.length})</summary>
                    <dl className="observed">
                      <dt>expected</dt>
                      <dd>
                        <code>{r.expected}</code>
                      </dd>
                      {r.observed.map((o, i) => (
                        <div key={i}>
                          <dt>
                            {o.path} · {o.server} · {o.name} {o.type}
                          </dt>
                          <dd>
                            <code>{o.value ?? '(nothing)'}</code>
                            {o.ttl !== null && <span className="muted small"> TTL {o.ttl} s</span>}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
