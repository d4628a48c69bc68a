import type { Principal } from '../accounts/index.ts';
import type { Logger } from '../core/index.ts';

/** Per-request values the middleware sets for handlers. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
  };
}
