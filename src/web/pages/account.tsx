import { useState } from 'react';
import { sendJson } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { ErrorMessage } from '../components/async.tsx';
import { useNewPassword } from '../components/password-fields.tsx';
import { useSubmit } from '../components/submit.tsx';

/** The signed-in user's account: who they are, and a password change (which ends every other session). */
export function AccountPage({ session, onChanged }: { session: Session; onChanged: (s: Session) => void }) {
  const [current, setCurrent] = useState('');
  const { password, fields, check, reset } = useNewPassword();
  const [done, setDone] = useState(false);
  const { submit, error, busy } = useSubmit(async () => {
    setDone(false);
    const problem = check();
    if (problem !== null) throw new Error(problem);
    const next = await sendJson<Session>('PUT', '/v1/session/password', {
      currentPassword: current,
      newPassword: password,
    });
    onChanged(next);
    setCurrent('');
    reset();
    setDone(true);
  });

  return (
    <section className="narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>E-mail address</dt>
        <dd>{session.user.email}</dd>
        <dt>Role</dt>
        <dd>
          {session.user.role} in tenant <strong>{session.homeTenant.name}</strong>
        </dd>
      </dl>
      <h2>Change your password</h2>
      <form className="card-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        {fields}
        {error && <ErrorMessage error={error} />}
        {done && (
          <p className="message info" role="status">
            Your password is changed. Every other session of yours has ended; this one goes on.
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Changing…' : 'Change the password'}
          </button>
        </div>
      </form>
    </section>
  );
}
