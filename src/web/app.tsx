import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, getJson, sendJson, setCsrfToken, setUnauthorizedHandler } from './api/client.ts';
import type { Session } from './api/types.ts';
import { uLabel } from './components/domain-label.tsx';
import { Link } from './components/link.tsx';
import { AddDomainPage } from './pages/add-domain.tsx';
import { DomainPage } from './pages/domain-page.tsx';
import { DomainsPage } from './pages/domains-list.tsx';
import { OperatorPage } from './pages/operator.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { AccountPage } from './pages/account.tsx';
import { SetPasswordPage } from './pages/set-password.tsx';
import { TeamPage } from './pages/team.tsx';
import { ApiKeysPage, seesApiKeys } from './pages/api-keys.tsx';
import { SuppressionsPage } from './pages/suppressions.tsx';
import { SmtpCredentialsPage } from './pages/smtp-credentials.tsx';
import { NotificationsPage } from './pages/notifications.tsx';
import { navigate, parseRoute, usePath } from './router.ts';

type SessionState =
  { state: 'checking' } | { state: 'signed-out'; reason?: string } | { state: 'signed-in'; session: Session };

export function App() {
  const path = usePath();
  const route = parseRoute(path);
  const [session, setSession] = useState<SessionState>({ state: 'checking' });

  const adopt = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setSession({ state: 'signed-in', session: s });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setSession({ state: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    });
    getJson<Session>('/v1/session').then(adopt, (e: unknown) => {
      setSession({
        state: 'signed-out',
        ...(e instanceof ApiError && e.status !== 401 ? { reason: e.message } : {}),
      });
    });
  }, [adopt]);

  // After a navigation, the main region takes the focus, so keyboard and screen-reader users start at the new page.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);

  useEffect(() => {
    const title = {
      domains: 'Domains',
      'add-domain': 'Add a domain',
      domain: 'Domain',
      operator: 'Tenants',
      team: 'Team',
      account: 'Your account',
      'api-keys': 'API keys',
      'smtp-credentials': 'SMTP credentials',
      suppressions: 'Suppression list',
      notifications: 'Notifications',
      'set-password': 'Choose your password',
      'sign-in': 'Sign in',
      'not-found': 'Not found',
    }[route.page];
    document.title = `${route.page === 'domain' ? uLabel(route.name) : title} · senderd`;
  }, [route]);

  if (session.state === 'checking')
    return (
      <p className="muted boot" role="status">
        Loading…
      </p>
    );
  // A set-password link opens its page whether or not someone is signed in in this browser; using it signs in.
  if (route.page === 'set-password') {
    return (
      <SetPasswordPage
        onSignedIn={(s) => {
          adopt(s);
          navigate('/', { replace: true });
        }}
      />
    );
  }
  if (session.state === 'signed-out') {
    return (
      <SignInPage
        notice={session.reason}
        onSignedIn={(s) => {
          adopt(s);
          if (route.page === 'sign-in') navigate('/', { replace: true });
        }}
      />
    );
  }
  const s = session.session;
  const signOut = async () => {
    await sendJson('DELETE', '/v1/session').catch(() => undefined);
    setCsrfToken(null);
    setSession({ state: 'signed-out', reason: 'You are signed out.' });
  };
  const leaveTenant = async () => {
    adopt(await sendJson<Session>('DELETE', '/v1/session/tenant'));
    navigate('/operator');
  };

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          senderd
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={route.page === 'domains' ? 'page' : undefined}>
            Domains
          </Link>
          {s.access !== 'read-only' && (
            <Link href="/domains/new" aria-current={route.page === 'add-domain' ? 'page' : undefined}>
              Add a domain
            </Link>
          )}
          <Link href="/team" aria-current={route.page === 'team' ? 'page' : undefined}>
            Team
          </Link>
          <Link
            href="/smtp-credentials"
            aria-current={route.page === 'smtp-credentials' ? 'page' : undefined}
          >
            SMTP
          </Link>
          <Link href="/suppressions" aria-current={route.page === 'suppressions' ? 'page' : undefined}>
            Suppressions
          </Link>
          {seesApiKeys(s) && (
            <Link href="/api-keys" aria-current={route.page === 'api-keys' ? 'page' : undefined}>
              API keys
            </Link>
          )}
          <Link href="/notifications" aria-current={route.page === 'notifications' ? 'page' : undefined}>
            Notifications
          </Link>
          {s.user.role === 'operator' && (
            <Link href="/operator" aria-current={route.page === 'operator' ? 'page' : undefined}>
              Tenants
            </Link>
          )}
        </nav>
        <div className="who">
          <span>
            <Link href="/account" aria-current={route.page === 'account' ? 'page' : undefined}>
              {s.user.email}
            </Link>{' '}
            · tenant <strong>{s.tenant.name}</strong>
          </span>
          <button type="button" className="small secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {s.access !== 'user' && (
        <div className={`banner ${s.access}`} role="note">
          You are looking into tenant <strong>{s.tenant.name}</strong>{' '}
          {s.access === 'read-only'
            ? 'read-only: nothing can be changed.'
            : 'as operator: changes act for this tenant.'}{' '}
          <button type="button" className="small" onClick={() => void leaveTenant()}>
            Back to {s.homeTenant.name}
          </button>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {route.page === 'domains' && <DomainsPage readOnly={s.access === 'read-only'} />}
        {route.page === 'add-domain' && <AddDomainPage />}
        {route.page === 'domain' && (
          <DomainPage
            key={route.name}
            name={route.name}
            readOnly={s.access === 'read-only'}
            removes={s.user.role !== 'member' && s.access !== 'read-only'}
          />
        )}
        {route.page === 'operator' && <OperatorPage session={s} onSwitched={adopt} />}
        {route.page === 'team' && <TeamPage session={s} />}
        {route.page === 'api-keys' && <ApiKeysPage session={s} />}
        {route.page === 'smtp-credentials' && <SmtpCredentialsPage session={s} />}
        {route.page === 'suppressions' && <SuppressionsPage session={s} />}
        {route.page === 'notifications' && <NotificationsPage session={s} />}
        {route.page === 'account' && <AccountPage session={s} onChanged={adopt} />}
        {route.page === 'sign-in' && (
          <p>
            You are signed in. <Link href="/">Go to your domains</Link>.
          </p>
        )}
        {route.page === 'not-found' && (
          <section>
            <h1>Not found</h1>
            <p>
              There is no page at {path}. <Link href="/">Go to your domains</Link>.
            </p>
          </section>
        )}
      </main>
    </>
  );
}
