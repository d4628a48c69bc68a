/**
 * A tiny client-side router over the History API: the dashboard's routes are few and fixed. The server answers
 * each of them with index.html (src/api/dashboard-files.ts DASHBOARD_ROUTES).
 */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'domains' }
  | { page: 'add-domain' }
  | { page: 'domain'; name: string }
  | { page: 'operator' }
  | { page: 'team' }
  | { page: 'api-keys' }
  | { page: 'smtp-credentials' }
  | { page: 'suppressions' }
  | { page: 'notifications' }
  | { page: 'account' }
  | { page: 'set-password' }
  | { page: 'sign-in' }
  | { page: 'not-found' };

export function parseRoute(path: string): Route {
  if (path === '/' || path === '/domains' || path === '/domains/') return { page: 'domains' };
  if (path === '/domains/new') return { page: 'add-domain' };
  const m = /^\/domains\/([^/]+)\/?$/.exec(path);
  if (m) return { page: 'domain', name: decodeURIComponent(m[1]!) };
  if (path === '/operator' || path === '/operator/') return { page: 'operator' };
  if (path === '/sign-in') return { page: 'sign-in' };
  if (path === '/team' || path === '/team/') return { page: 'team' };
  if (path === '/account' || path === '/account/') return { page: 'account' };
  if (path === '/api-keys' || path === '/api-keys/') return { page: 'api-keys' };
  if (path === '/smtp-credentials' || path === '/smtp-credentials/') return { page: 'smtp-credentials' };
  if (path === '/notifications' || path === '/notifications/') return { page: 'notifications' };
  if (path === '/suppressions' || path === '/suppressions/') return { page: 'suppressions' };
  if (path === '/set-password' || path === '/set-password/') return { page: 'set-password' };
  return { page: 'not-found' };
}

export function domainPath(name: string): string {
  return `/domains/${encodeURIComponent(name)}`;
}

const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}
