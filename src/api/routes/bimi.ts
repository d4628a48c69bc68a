import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { BimiService } from '../../bimi/index.ts';
import type { ApiEnv } from '../context.ts';
import { API_KEY, error, json } from '../route-parts.ts';
import { DomainParam } from '../schemas.ts';

/** BIMI logo hosting: upload an SVG Tiny PS logo, see where it is served, remove it. */

const BimiLogoSchema = z
  .object({
    domain: z.string(),
    host: z.string().nullable().openapi({ description: 'The edge host the logo is served from.' }),
    logo: z.object({ sha256: z.string(), bytes: z.number(), uploadedAt: z.string() }).nullable(),
    url: z.string().nullable().openapi({
      example:
        'https://clicks.example.com/bimi/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.svg',
      description: 'The l= of the BIMI record (published while the DMARC policy is enforced).',
    }),
  })
  .openapi('BimiLogo');

const view = (v: unknown) => JSON.parse(JSON.stringify(v)) as z.infer<typeof BimiLogoSchema>;

export function registerBimiRoutes(app: OpenAPIHono<ApiEnv>, bimi: BimiService): void {
  const path = '/v1/domains/{domain}/bimi/logo';
  const common = { tags: ['bimi'], security: API_KEY };
  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path,
      summary: "The domain's BIMI logo: its hash, size and URL",
      request: { params: DomainParam },
      responses: {
        200: { description: 'The logo, or none.', content: json(BimiLogoSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) =>
      c.json(view(await bimi.status(c.get('principal').tenantId, c.req.valid('param').domain)), 200),
  );
  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path,
      summary:
        'Upload the BIMI logo: an SVG Tiny PS file (the raw bytes), checked, served by the edge, published as l=',
      description:
        'The body is the SVG itself (Content-Type image/svg+xml). Refused with the reason (details[0].reason): too_large (over 32 KB), not_utf8, not_xml, doctype (no DTD: XXE), not_svg, profile (baseProfile="tiny-ps", version="1.2", no x/y), forbidden_element (script, image, foreignObject, animation, style, links), forbidden_attribute (on* handlers, javascript:), external_reference (only #id), no_title, not_square.',
      request: {
        params: DomainParam,
        body: {
          content: { 'image/svg+xml': { schema: z.string().openapi({ format: 'binary' }) } },
          required: true,
        },
      },
      responses: {
        200: { description: 'Stored; the BIMI record points at it.', content: json(BimiLogoSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
        409: error('The domain has no edge host (tracking and MTA-STS are off).'),
        413: error('The logo is larger than 32 KB.'),
        422: error('The logo is not SVG Tiny PS: details say why.'),
      },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const v = await bimi.upload(c.get('principal').tenantId, c.req.valid('param').domain, bytes);
      return c.json(view(v), 200);
    },
  );
  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path,
      summary: 'Remove the BIMI logo (and the l= that points at it)',
      request: { params: DomainParam },
      responses: {
        200: { description: 'Removed.', content: json(BimiLogoSchema) },
        401: error('No valid API key.'),
        404: error('No such domain.'),
      },
    }),
    async (c) =>
      c.json(view(await bimi.remove(c.get('principal').tenantId, c.req.valid('param').domain)), 200),
  );
}
