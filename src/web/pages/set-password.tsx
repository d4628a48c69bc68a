import { useState } from 'react';
import { sendJson } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { ErrorMessage } from '../components/async.tsx';
import { useNewPassword } from '../components/password-fields.tsx';
import { useSubmit } from '../components/submit.tsx';

/**
 * The page a set-password link opens (/set-password#<token>): the new user chooses a password and is signed in.
 * The token is read from the fragment once and then taken out of the address bar and the history.
 */
export function SetPasswordPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [token] = useState(() => {
    const t = location.hash.replace(/^#/, '');
    if (t !== '') history.replaceState(null, '', location.pathname);
    return t;
  });
  const { password, fields, check } = useNewPassword();
  const { submit, error, busy } = useSubmit(async () => {
    const problem = check();
    if (problem !== null) throw new Error(problem);
    onSignedIn(await sendJson<Session>('POST', '/v1/set-password', { token, password }));
  });

  return (
    <main id="main" className="sign-in">
      <h1>Choose your password</h1>
      {token === '' ? (
        <p className="message error" role="alert">
          This link has no token. Open the whole link you were given, or ask an owner of your team for a new
          one.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p className="help">You were added to a team on senderd. Choose a password to sign in.</p>
          {fields}
          {error && <ErrorMessage error={error} />}
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Set the password and sign in'}
          </button>
        </form>
      )}
    </main>
  );
}
