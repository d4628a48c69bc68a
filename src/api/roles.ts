import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../accounts/index.ts';
import { AppError } from '../core/index.ts';
import type { ApiEnv } from './context.ts';

/**
 * What only an owner may do in a tenant (docs/team.md has the whole matrix). Members may do everything else on
 * their tenant's domains. An API key keeps tenant-wide rights: it was made by an owner (or an administrator)
 * and is held by a program, not a person with a role. An operator acts as an owner in their own tenant and
 * in a tenant they entered as `operator`; in a `read-only` view they change nothing (src/api/auth.ts).
 */
export interface OwnerRule {
  /** The HTTP methods the rule covers. */
  readonly methods: ReadonlySet<string>;
  readonly path: RegExp;
  /** What is refused, completing "Only an owner of the tenant can …". */
  readonly action: string;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const OWNER_RULES: readonly OwnerRule[] = [
  { methods: new Set(['DELETE']), path: /^\/v1\/domains\/[^/]+\/?$/, action: 'remove domains' },
  { methods: CHANGES, path: /^\/v1\/team(\/|$)/, action: 'manage the team' },
  {
    methods: new Set(['GET', 'HEAD', ...CHANGES]),
    path: /^\/v1\/api-keys(\/|$)/,
    action: 'see and manage API keys',
  },
];

/** Whether the principal has an owner's rights in the tenant it acts for. */
export function actsAsOwner(principal: Principal): boolean {
  return principal.via !== 'session' || principal.role !== 'member';
}

/** The rule a request falls under, if only owners may make it. */
export function ownerRuleFor(method: string, path: string): OwnerRule | undefined {
  return OWNER_RULES.find((r) => r.methods.has(method) && r.path.test(path));
}

/** Refuses a member's request that only an owner may make, with 403 and a sentence saying why. */
export function enforceRoles(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal') as Principal | undefined;
    const rule = ownerRuleFor(c.req.method.toUpperCase(), c.req.path);
    if (principal !== undefined && rule !== undefined && !actsAsOwner(principal)) {
      throw new AppError(
        'forbidden',
        `Only an owner of tenant ${principal.tenantName} can ${rule.action}; you are a member. Ask an owner.`,
        [{ message: 'owner role required', reason: 'owner_required' }],
      );
    }
    return next();
  };
}
