import type { AppErrorCode } from '../core/index.ts';

/** The one place an error code becomes an HTTP status. */
export const HTTP_STATUS: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503> = {
  bad_request: 400,
  validation_failed: 422,
  invalid_domain: 422,
  weak_key: 422,
  invalid_key: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  confirmation_required: 409,
  limit_exceeded: 429,
  payload_too_large: 413,
  config_invalid: 500,
  unavailable: 503,
  listen_failed: 503,
  internal: 500,
};
