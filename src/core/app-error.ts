/**
 * The one error type for expected failures that cross a boundary (STYLE.md "Outcomes are data").
 * Each server maps `code` to its wire format in exactly one place: HTTP status in api/, exit codes in cli/,
 * SMTP replies in gateway/, RCODEs in dns/.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'invalid_domain'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A risky change (a DMARC step up that could reject legitimate mail) was asked for without `force`. */
  | 'confirmation_required'
  | 'config_invalid'
  | 'limit_exceeded'
  | 'payload_too_large'
  | 'weak_key'
  | 'invalid_key'
  | 'unavailable'
  /** A listener cannot bind its address (in use, a privileged port, not an address of this machine). */
  | 'listen_failed'
  | 'internal';

export interface AppErrorDetail {
  /** Where the problem is: a field path, a config key, a record name. */
  readonly path?: string;
  readonly message: string;
  /** A stable machine-readable reason, where there is one (`public_suffix`, `label_too_long`). */
  readonly reason?: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: readonly AppErrorDetail[];

  constructor(code: AppErrorCode, message: string, details: readonly AppErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
