import { DEFAULT_MAX_AGE, mtaStsPolicyText, type MtaStsMaxAge, type SenderDomain } from '../domains/index.ts';
import { MTA_STS_ROLE, NOT_FOUND, type EdgeRoute } from '../edge/index.ts';

/** RFC 8461 §3.3: the policy's one place, on the policy host. */
export const POLICY_PATH = '/.well-known/mta-sts.txt';

/**
 * Serves `https://mta-sts.<domain>/.well-known/mta-sts.txt` (RFC 8461 §3.3) from the domain's settings as they
 * are in the store now: `200`, `text/plain`, the policy text. Only over HTTPS: senders fetch the policy over HTTPS
 * with a valid certificate and follow no redirects (§3.3), so over plain HTTP there is nothing here. A domain
 * that turned MTA-STS off gets the edge's ordinary 404.
 */
export function mtaStsPolicyRoute(deps: {
  domainById(domainId: string): Promise<SenderDomain | null>;
  maxAge?: MtaStsMaxAge;
}): EdgeRoute {
  return {
    role: MTA_STS_ROLE,
    methods: ['GET'],
    path: POLICY_PATH,
    async handle(request) {
      if (!request.secure) return NOT_FOUND;
      const domain = await deps.domainById(request.host.domainId);
      const settings = domain?.settings.mtaSts;
      if (domain === null || settings == null || domain.tenantId !== request.host.tenantId) return NOT_FOUND;
      return {
        status: 200,
        // §3.2: the media type is text/plain; a cache may keep it a few minutes, the id says when it changed.
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'max-age=300' },
        body: mtaStsPolicyText(settings, deps.maxAge ?? DEFAULT_MAX_AGE),
      };
    },
  };
}
