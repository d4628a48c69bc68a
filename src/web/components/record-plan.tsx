import type { RecordPlan } from '../api/types.ts';
import { enc } from '../api/client.ts';
import { CopyButton } from './copy-button.tsx';

/** The records the customer creates, each value with its own copy button, and the plan as BIND or CSV. */
export function RecordPlanTable({ plan }: { plan: RecordPlan }) {
  const base = `/v1/domains/${enc(plan.domain)}/records`;
  return (
    <>
      <p>
        Create these records in the DNS of <strong>{plan.zone}</strong>. The <em>host</em> is the name as most
        DNS hosts' forms want it (relative to {plan.zone}); the full name is below it.
      </p>
      <div className="downloads">
        <a className="button secondary" href={`${base}?format=bind`} download={`${plan.domain}.zone`}>
          Download BIND zone snippet
        </a>
        <a className="button secondary" href={`${base}?format=csv`} download={`${plan.domain}.csv`}>
          Download CSV
        </a>
      </div>
      <div className="table-wrap">
        <table className="records">
          <caption className="visually-hidden">Records to create for {plan.domain}</caption>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {plan.customer.map((r) => (
              <tr key={`${r.name}|${r.type}`}>
                <th scope="row" data-label="Host">
                  <code>{r.host}</code>
                  <div className="muted small">{r.name}</div>
                  <CopyButton value={r.host} label={`host of ${r.name} ${r.type}`} />
                </th>
                <td data-label="Type">
                  {r.type}
                  {!r.required && <div className="muted small">optional</div>}
                </td>
                <td data-label="Value" className="value">
                  <code>{r.value}</code>
                  <CopyButton value={r.value} label={`value of ${r.name} ${r.type}`} />
                </td>
                <td data-label="Why" className="small">
                  {r.purpose}
                  {r.note && <div className="muted">{r.note}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.keptSelectors.length > 0 && (
        <p className="muted">Your own DKIM selectors stay as they are: {plan.keptSelectors.join(', ')}.</p>
      )}
    </>
  );
}
