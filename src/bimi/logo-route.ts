import { CLICK_ROLE, MTA_STS_ROLE, NOT_FOUND, type EdgeRoute, type HostRole } from '../edge/index.ts';
import type { BimiLogoRepository } from './model.ts';

const PATH = /^\/bimi\/([0-9a-f]{64})\.svg$/;

/**
 * Serves a domain's BIMI logo on its edge hosts over HTTPS: `/bimi/<sha256>.svg`, `image/svg+xml`, only the
 * domain's current logo, only for the tenant that owns the host. The name is the file's hash, so the content
 * never changes under a URL and may be cached for long. `nosniff` and a CSP that allows nothing keep a browser
 * from treating it as anything but an image.
 */
export function bimiLogoRoutes(repo: Pick<BimiLogoRepository, 'get'>): EdgeRoute[] {
  const route = (role: HostRole): EdgeRoute => ({
    role,
    methods: ['GET'],
    path: '/bimi/',
    prefix: true,
    async handle(request) {
      const hash = PATH.exec(request.path)?.[1];
      if (!request.secure || hash === undefined) return NOT_FOUND;
      const logo = await repo.get(request.host.domainId);
      if (logo === null || logo.sha256 !== hash || logo.tenantId !== request.host.tenantId) return NOT_FOUND;
      return {
        status: 200,
        headers: {
          'content-type': 'image/svg+xml',
          'cache-control': 'public, max-age=86400, immutable',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        },
        body: logo.svg,
      };
    },
  });
  return [route(CLICK_ROLE), route(MTA_STS_ROLE)];
}
