/** The REST API (Hono + zod-openapi): routes validate, authorise, call a capability and respond. */
export { createApi } from './app.ts';
export type { ApiDeps } from './app.ts';
export type { BodyLimits } from './body-limits.ts';
export { HTTP_STATUS } from './errors.ts';
export { listenHttp } from './http-server.ts';
export type { HttpListener } from './http-server.ts';
