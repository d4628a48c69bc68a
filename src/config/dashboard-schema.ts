import { z } from 'zod';
import { duration } from './schema-fields.ts';

/** `dashboard`: the web dashboard, its origin, sessions and sign-in limits. */
export const dashboardSection = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Serve the web dashboard from the HTTP component, on the same origin as the API.'),
    dir: z
      .string()
      .default('')
      .describe(
        'Directory of the built dashboard (index.html and assets/). Empty means web-dist/ in the installation, which npm start builds when it is missing or stale.',
      ),
    publicOrigin: z
      .string()
      .regex(/^(https?:\/\/[^/\s]+)?$/, 'must be an origin such as https://senderd.example.com (no path)')
      .default('')
      .describe(
        'The origin people open the dashboard at, when senderd is behind a proxy (https://senderd.example.com). State-changing requests from a browser must come from it; https here makes the session cookie Secure. Empty: the origin of each request.',
      ),
    sessionIdle: duration('2h', 'A session unused for this long ends'),
    sessionMaxAge: duration('12h', 'A session ends this long after sign-in, however active'),
    signInFailures: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe(
        'Failed sign-ins allowed per e-mail address from one client address within signInWindow; then that client waits out the window. Failures from many addresses together only delay the next attempt (doubling, at most 30 s), so nobody can lock the owner out.',
      ),
    signInFailuresPerClient: z
      .number()
      .int()
      .min(1)
      .default(50)
      .describe(
        'Failed sign-ins allowed per client (an IPv4 address or an IPv6 /64) within signInWindow, whatever the accounts.',
      ),
    signInWindow: duration('15m', 'The window in which failed sign-ins are counted'),
    setPasswordLinkTtl: duration(
      '72h',
      'How long a one-time set-password link (made by an owner for a new user) works, if it is not used first',
    ),
  })
  .prefault({});
