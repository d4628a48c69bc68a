import { useState } from 'react';
import { sendJson } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { ErrorMessage } from '../components/async.tsx';
import { useSubmit } from '../components/submit.tsx';

export function SignInPage({
  onSignedIn,
  notice,
}: {
  onSignedIn: (s: Session) => void;
  notice?: string | undefined;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    onSignedIn(await sendJson<Session>('POST', '/v1/session', { email, password }));
  });

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to senderd</h1>
      {notice && !error && (
        <p className="message info" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="email">E-mail address</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && <ErrorMessage error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        No account? Ask an owner of your team to add you on the Team page: they pass you a link to choose your
        password. (Administrators: <code>senderd user add you@example.com --tenant yours</code>.)
      </p>
    </main>
  );
}
