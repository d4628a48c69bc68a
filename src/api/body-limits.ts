import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../core/index.ts';
import type { ApiEnv } from './context.ts';

/**
 * Request bodies are limited by route before anything reads them, and before authentication, so an anonymous
 * client cannot make the server hold a large body (issue 14): a declared Content-Length over the limit gets 413
 * at once, unread; a chunked body is counted as it arrives and refused the moment it passes the limit. The report
 * upload keeps its own, larger limit, counted while it streams into the parser (routes/reports.ts).
 */
export interface BodyLimits {
  /** Sign-in and the password routes: a name and a password or two. */
  readonly signInBytes: number;
  /** Every other route that takes a JSON body. */
  readonly jsonBytes: number;
}

/** A suppression list import: a CSV of up to about 500,000 addresses. */
export const IMPORT_BYTES = 32 * 1024 * 1024;
const IMPORTS = new Set(['/v1/suppressions/import']);

/** Routes whose handler counts the body itself while streaming it. */
const OWN_LIMIT = new Set(['/v1/reports/upload']);
const SIGN_IN = new Set(['/v1/session', '/v1/session/password', '/v1/set-password']);
/** A BIMI logo is at most 32 KB (bimi/svg-logo.ts, which says so with the reason); twice that is read. */
const LOGO = /^\/v1\/domains\/[^/]+\/bimi\/logo$/;
const LOGO_BYTES = 64 * 1024;

const refuse = (max: number) => (): never => {
  throw new AppError('payload_too_large', `The request body is larger than ${max} bytes.`);
};

export function limitBodies(limits: BodyLimits): MiddlewareHandler<ApiEnv> {
  const signIn = bodyLimit({ maxSize: limits.signInBytes, onError: refuse(limits.signInBytes) });
  const json = bodyLimit({ maxSize: limits.jsonBytes, onError: refuse(limits.jsonBytes) });
  const logo = bodyLimit({ maxSize: LOGO_BYTES, onError: refuse(LOGO_BYTES) });
  const imports = bodyLimit({ maxSize: IMPORT_BYTES, onError: refuse(IMPORT_BYTES) });
  return async (c, next) => {
    const path = c.req.path;
    if (OWN_LIMIT.has(path)) return next();
    if (LOGO.test(path)) return logo(c, next);
    if (IMPORTS.has(path)) return imports(c, next);
    return SIGN_IN.has(path) ? signIn(c, next) : json(c, next);
  };
}
