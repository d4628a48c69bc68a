import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './context.ts';
import { error } from './route-parts.ts';

interface RouteShape {
  security?: Array<Record<string, string[]>>;
  request?: { query?: unknown; params?: unknown; body?: { content?: Record<string, unknown> } };
  responses: Record<string, unknown>;
}

/**
 * Completes each route's documented responses with the errors every route of its kind can give, so that
 * /openapi.json says what the server does: 401 where a key or session is needed (src/api/auth.ts), 422 where a
 * query, path or JSON body is checked against its schema (the defaultHook in app.ts), and 400 where a JSON body
 * may be unreadable. A route that documents its own keeps it.
 */
export function documentCommonErrors(app: OpenAPIHono<ApiEnv>): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route as unknown as RouteShape;
    const add = (status: string, description: string) => {
      if (!(status in route.responses)) route.responses[status] = error(description);
    };
    if ((route.security?.length ?? 0) > 0) add('401', 'No valid API key or session.');
    const jsonBody = route.request?.body?.content?.['application/json'] !== undefined;
    if (route.request?.query !== undefined || jsonBody)
      add('422', 'The request does not match its schema (code validation_failed; details name each field).');
    if (jsonBody) add('400', 'The body is not JSON, or is sent without Content-Type: application/json.');
  }
}
