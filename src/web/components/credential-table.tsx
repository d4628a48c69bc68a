import { useState } from 'react';
import { formatTime } from './async.tsx';

/** What the API keys and SMTP credentials have in common: a name, and when each was made, last used, revoked. */
export interface Credential {
  readonly id: string;
  readonly name: string;
  readonly username?: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/**
 * A table of credentials with a revoke button each, behind an inline confirmation that takes the focus (as the
 * Team page does). Revoked ones stay listed, marked, so the owner sees what was turned off and when.
 */
export function CredentialTable({
  what,
  items,
  canRevoke,
  onRevoke,
}: {
  /** "API key" or "SMTP credential", for captions and button names. */
  what: string;
  items: readonly Credential[];
  canRevoke: boolean;
  onRevoke: (c: Credential) => Promise<void>;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const withUser = items.some((c) => c.username !== undefined);
  if (items.length === 0) return <p className="muted">No {what}s yet.</p>;
  return (
    <div className="table-wrap">
      <table className="credentials">
        <caption className="visually-hidden">{what}s</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {withUser && <th scope="col">Username</th>}
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            {canRevoke && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} className={c.revokedAt === null ? undefined : 'revoked'}>
              <th scope="row">{c.name}</th>
              {withUser && (
                <td data-label="Username">
                  <code>{c.username}</code>
                </td>
              )}
              <td data-label="Created">{formatTime(c.createdAt)}</td>
              <td data-label="Last used">{c.lastUsedAt === null ? 'never' : formatTime(c.lastUsedAt)}</td>
              <td data-label="Status">
                {c.revokedAt === null ? (
                  <span className="badge state-active">active</span>
                ) : (
                  <span className="badge state-revoked">revoked {formatTime(c.revokedAt)}</span>
                )}
              </td>
              {canRevoke && (
                <td data-label="Change">
                  {c.revokedAt !== null ? null : confirming === c.id ? (
                    // A key makes React mount new buttons, so that autoFocus moves the focus to "Yes, revoke".
                    <span
                      key="confirm"
                      className="actions tight"
                      role="group"
                      aria-label={`Revoke ${c.name}?`}
                    >
                      <span>Revoke {c.name}? Programs using it are refused at once.</span>
                      <button
                        type="button"
                        className="small danger"
                        autoFocus
                        onClick={() => void onRevoke(c).finally(() => setConfirming(null))}
                      >
                        Yes, revoke
                      </button>
                      <button type="button" className="small secondary" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button
                      key="revoke"
                      type="button"
                      className="small secondary"
                      onClick={() => setConfirming(c.id)}
                      aria-label={`Revoke ${what} ${c.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
