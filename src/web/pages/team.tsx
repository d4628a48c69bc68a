import { useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { Session, SetPasswordLink, TeamMember } from '../api/types.ts';
import { ErrorMessage, Show, formatDay, formatTime, useLoad } from '../components/async.tsx';
import { SecretPanel } from '../components/secret-panel.tsx';
import { MIN_PASSWORD } from '../components/password-fields.tsx';
import { useSubmit } from '../components/submit.tsx';

type Role = 'owner' | 'member';

/** Whether this session may change the team: owners, and operators (in their tenant or acting as operator). */
export function managesTeam(s: Session): boolean {
  return s.user.role !== 'member' && s.access !== 'read-only';
}

/** A link just made, to be passed on: shown once, with a copy button. */
function LinkPanel({ email, link, onClose }: { email: string; link: SetPasswordLink; onClose: () => void }) {
  return (
    <SecretPanel
      id="set-password-link"
      label={`Set-password link for ${email}`}
      value={link.url}
      onClose={onClose}
      lead={
        <>
          Pass this link to <strong>{email}</strong>. It works once, until {formatTime(link.expiresAt)};
          senderd keeps no copy of it.
        </>
      }
    />
  );
}

function AddUserForm({ onAdded }: { onAdded: (m: TeamMember, link: SetPasswordLink | null) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [how, setHow] = useState<'link' | 'password'>('link');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    const r = await sendJson<{ user: TeamMember; setPasswordLink: SetPasswordLink | null }>(
      'POST',
      '/v1/team/users',
      { email, role, ...(how === 'password' ? { password } : {}) },
    );
    onAdded(r.user, r.setPasswordLink);
    setEmail('');
    setPassword('');
  });

  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-user">
      <h2 id="add-user">Add a user</h2>
      <label htmlFor="new-user-email">E-mail address</label>
      <input
        id="new-user-email"
        type="email"
        autoComplete="off"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor="new-user-role">Role</label>
      <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        <option value="member">Member: works on the domains</option>
        <option value="owner">Owner: also manages the team and API keys, and removes domains</option>
      </select>
      <fieldset>
        <legend>How they get a password</legend>
        <label className="checkbox">
          <input type="radio" name="how" checked={how === 'link'} onChange={() => setHow('link')} />
          Make a one-time set-password link for them (recommended: nobody else knows the password)
        </label>
        <label className="checkbox">
          <input type="radio" name="how" checked={how === 'password'} onChange={() => setHow('password')} />
          Set an initial password now
        </label>
      </fieldset>
      {how === 'password' && (
        <>
          <label htmlFor="new-user-password">Initial password</label>
          <input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            aria-describedby="new-user-password-help"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <p className="help" id="new-user-password-help">
            At least {MIN_PASSWORD} characters. They can change it on their Account page.
          </p>
        </>
      )}
      {error && <ErrorMessage error={error} />}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add the user'}
        </button>
      </div>
    </form>
  );
}

/** The tenant's users. Owners add, change roles, remove and make set-password links; members read the list. */
export function TeamPage({ session }: { session: Session }) {
  const [users, reload] = useLoad(() => getJson<{ users: TeamMember[] }>('/v1/team/users'), 'team');
  const [error, setError] = useState<Error | null>(null);
  const [link, setLink] = useState<{ email: string; link: SetPasswordLink } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const manage = managesTeam(session);

  const act = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    setConfirming(null);
    reload();
  };
  const changeRole = (m: TeamMember, role: Role) =>
    act(async () => {
      await sendJson('PATCH', `/v1/team/users/${encodeURIComponent(m.id)}`, { role });
    });
  const remove = (m: TeamMember) =>
    act(async () => {
      await sendJson('DELETE', `/v1/team/users/${encodeURIComponent(m.id)}`);
    });
  const newLink = (m: TeamMember) =>
    act(async () => {
      const r = await sendJson<{ setPasswordLink: SetPasswordLink }>(
        'POST',
        `/v1/team/users/${encodeURIComponent(m.id)}/set-password-link`,
      );
      setLink({ email: m.email, link: r.setPasswordLink });
    });

  return (
    <section>
      <h1>Team of {session.tenant.name}</h1>
      {!manage && (
        <p className="message info" role="note">
          Only owners can change the team. You can see who is in it.
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      {link && <LinkPanel email={link.email} link={link.link} onClose={() => setLink(null)} />}
      <Show loaded={users} what="the team">
        {({ users: list }) => (
          <div className="table-wrap">
            <table className="team">
              <caption className="visually-hidden">Users of tenant {session.tenant.name}</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Added</th>
                  {manage && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.email}
                      {m.email === session.user.email && <span className="muted small"> (you)</span>}
                    </th>
                    <td data-label="Role">{m.role}</td>
                    <td data-label="Status">
                      {m.passwordSet
                        ? 'active'
                        : m.linkExpiresAt
                          ? `invited: link until ${formatTime(m.linkExpiresAt)}`
                          : 'invited: the link has expired'}
                    </td>
                    <td data-label="Added">{formatDay(m.createdAt)}</td>
                    {manage && (
                      <td data-label="Change">
                        {m.role === 'operator' ? (
                          <span className="muted small">operators are managed with the CLI</span>
                        ) : confirming === m.id ? (
                          // Keys make React mount new buttons, so that autoFocus moves the focus to "Yes, remove".
                          <span
                            key="confirm"
                            className="actions tight"
                            role="group"
                            aria-label={`Remove ${m.email}?`}
                          >
                            <span>Remove {m.email}? Their sessions end at once.</span>
                            <button
                              type="button"
                              className="small danger"
                              onClick={() => void remove(m)}
                              autoFocus
                            >
                              Yes, remove
                            </button>
                            <button
                              type="button"
                              className="small secondary"
                              onClick={() => setConfirming(null)}
                            >
                              Cancel
                            </button>
                          </span>
                        ) : (
                          <span key="actions" className="actions tight">
                            <button
                              type="button"
                              className="small secondary"
                              onClick={() => void changeRole(m, m.role === 'owner' ? 'member' : 'owner')}
                              aria-label={`Make ${m.email} ${m.role === 'owner' ? 'a member' : 'an owner'}`}
                            >
                              {m.role === 'owner' ? 'Make member' : 'Make owner'}
                            </button>
                            <button
                              type="button"
                              className="small secondary"
                              onClick={() => void newLink(m)}
                              aria-label={`New set-password link for ${m.email}`}
                            >
                              New link
                            </button>
                            <button
                              type="button"
                              className="small secondary"
                              onClick={() => setConfirming(m.id)}
                              aria-label={`Remove ${m.email}`}
                            >
                              Remove
                            </button>
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Show>
      {manage && (
        <AddUserForm
          onAdded={(m, l) => {
            setError(null);
            setLink(l === null ? null : { email: m.email, link: l });
            reload();
          }}
        />
      )}
    </section>
  );
}
