/**
 * The dashboard's only way to the server: the REST API on the same origin, with the session cookie (sent by the
 * browser; scripts cannot read it) and the session's CSRF token on every state-changing request.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path?: string; message: string; reason?: string }[];

  constructor(
    status: number,
    code: string,
    message: string,
    details: { path?: string; message: string; reason?: string }[] = [],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request finds the session gone (expired, signed out elsewhere). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function errorFrom(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code: string; message: string; details?: ApiError['details'] };
    };
    if (body.error)
      return new ApiError(res.status, body.error.code, body.error.message, body.error.details ?? []);
  } catch {
    // Not JSON: fall through to a generic message.
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}.`);
}

export async function request(
  method: string,
  path: string,
  body?: unknown,
  options: { raw?: BodyInit; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (options.raw !== undefined) {
    payload = options.raw;
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (!res.ok) {
    const error = await errorFrom(res);
    if (res.status === 401 && path !== '/v1/session') onUnauthorized();
    throw error;
  }
  return res;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request('GET', path)).json()) as T;
}

export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return (res.status === 204 ? null : await res.json()) as T;
}

export function enc(domain: string): string {
  return encodeURIComponent(domain);
}
