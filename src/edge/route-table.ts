import type { HostRole, ServedHost } from './model.ts';

/**
 * The edge's routes, by host role and path. The edge itself answers only what every host needs (ACME challenges,
 * the redirect to HTTPS, 404, 421); what a host serves comes from the capabilities that own its role: click
 * redirects, opens and one-click unsubscribes on `click` hosts, the policy file on `mta-sts` hosts. They add
 * routes here; the server's core does not change.
 */

export interface EdgeRequest {
  readonly method: string;
  /** The path, percent-encoded as received, without the query. */
  readonly path: string;
  /** The query without its `?`; empty when there is none. */
  readonly query: string;
  readonly host: ServedHost;
  readonly secure: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string;
  /** The body of a POST, at most a few KB (the server refuses more with 413); empty for other methods. */
  readonly body: Buffer;
}

/** A response as data; the server writes it. */
export interface EdgeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface EdgeRoute {
  readonly role: HostRole;
  /** Upper case. HEAD is served wherever GET is (RFC 9110 §9.3.2). */
  readonly methods: readonly string[];
  /** An exact path (`/`), or with `prefix` every path that starts with it (`/c/`). */
  readonly path: string;
  readonly prefix?: boolean;
  handle(request: EdgeRequest): EdgeResponse | Promise<EdgeResponse>;
}

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: EdgeRoute }
  /** The path exists for this role, not with this method: 405 with Allow (RFC 9110 §15.5.6). */
  | { readonly kind: 'method'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

interface RoleRoutes {
  readonly exact: Map<string, EdgeRoute[]>;
  /** Longest prefix first. */
  prefixes: EdgeRoute[];
}

export class RouteTable {
  readonly #roles = new Map<HostRole, RoleRoutes>();

  /** Adds routes; a second route for the same role, path and method is a programming error. */
  add(...routes: readonly EdgeRoute[]): this {
    for (const route of routes) {
      let role = this.#roles.get(route.role);
      if (role === undefined) this.#roles.set(route.role, (role = { exact: new Map(), prefixes: [] }));
      const same = route.prefix === true ? role.prefixes : (role.exact.get(route.path) ?? []);
      const clash = same.find(
        (r) => r.path === route.path && r.methods.some((m) => route.methods.includes(m)),
      );
      if (clash !== undefined)
        throw new Error(`edge route ${route.role} ${route.methods.join(',')} ${route.path} is added twice`);
      if (route.prefix === true) {
        role.prefixes = [...role.prefixes, route].sort((a, b) => b.path.length - a.path.length);
      } else role.exact.set(route.path, [...same, route]);
    }
    return this;
  }

  match(role: HostRole, method: string, path: string): RouteMatch {
    const routes = this.#roles.get(role);
    if (routes === undefined) return { kind: 'none' };
    // The exact path first, then the prefixes, longest first: a method the exact route lacks falls through.
    const candidates = [
      ...(routes.exact.get(path) ?? []),
      ...routes.prefixes.filter((r) => path.startsWith(r.path)),
    ];
    if (candidates.length === 0) return { kind: 'none' };
    const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
    for (const m of wanted) {
      const route = candidates.find((r) => r.methods.includes(m));
      if (route !== undefined) return { kind: 'route', route };
    }
    const allow = new Set(candidates.flatMap((r) => r.methods));
    if (allow.has('GET')) allow.add('HEAD');
    return { kind: 'method', allow: [...allow].sort() };
  }
}
