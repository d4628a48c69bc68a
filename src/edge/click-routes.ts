import { CLICK_ROLE } from './model.ts';
import type { EdgeRoute } from './route-table.ts';

/**
 * What a click host serves before click tracking adds its own routes: its root redirects to the sender's own
 * site (the organisational domain of the sender domain), so a person who opens `clicks.example.com` itself, or
 * a link with its path cut off, lands somewhere they recognise instead of on an error page. 302, because the
 * target is the tenant's and may change.
 */
export function clickRootRoute(organizationalDomain: (domain: string) => string): EdgeRoute {
  const locations = new Map<string, Record<string, string>>();
  return {
    role: CLICK_ROLE,
    methods: ['GET'],
    path: '/',
    handle(request) {
      let headers = locations.get(request.host.domain);
      if (headers === undefined) {
        headers = {
          location: `https://${organizationalDomain(request.host.domain)}/`,
          'cache-control': 'no-store',
        };
        if (locations.size > 100_000) locations.clear();
        locations.set(request.host.domain, headers);
      }
      return { status: 302, headers };
    },
  };
}
