/** A tiny cookie-keeping HTTP client for session tests: what a browser would send, and nothing more. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly setCookie: string[];
}

export class Browser {
  readonly base: string;
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(base: string) {
    this.base = base;
  }

  /** A request as the dashboard makes it: cookie, same Origin, CSRF header (each can be left out or changed). */
  async request(
    method: string,
    path: string,
    options: {
      body?: unknown;
      origin?: string | null;
      csrf?: string | null;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    const origin = options.origin === undefined ? this.base : options.origin;
    if (origin !== null) headers.origin = origin;
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== undefined && csrf !== null) headers['x-csrf-token'] = csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    const body = parseBody(text);
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (name === 'senderd_session' || name === '__Host-senderd_session') {
        this.cookie = value === '' ? undefined : `${name}=${value}`;
      }
    }
    return { status: res.status, headers: res.headers, body, setCookie };
  }

  async signIn(email: string, password: string): Promise<Reply> {
    const r = await this.request('POST', '/v1/session', { body: { email, password } });
    if (r.status === 200) this.csrf = (r.body as { csrfToken: string }).csrfToken;
    return r;
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
