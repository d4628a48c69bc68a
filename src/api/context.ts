import type { Principal, SessionView } from '../accounts/index.ts';
import type { Logger } from '../core/index.ts';

/** Per-request values the middleware sets for handlers. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    /** Set when the request was authenticated by a session cookie rather than an API key. */
    session?: { readonly secret: string; readonly csrfToken: string; readonly view: SessionView };
  };
}
