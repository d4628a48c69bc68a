import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AccountService, SmtpCredentialService } from '../accounts/index.ts';
import { AppError, isAppError, type Logger } from '../core/index.ts';
import type { CheckService } from '../checks/index.ts';
import type { DomainService } from '../domains/index.ts';
import type { DnsApplyService, DomainConnectService } from '../provisioning/index.ts';
import type { TraceService } from '../gateway/index.ts';
import type { ApiEnv } from './context.ts';
import { HTTP_STATUS } from './errors.ts';
import { error } from './route-parts.ts';
import type { DkimService } from '../dkim/index.ts';
import type { EventService } from '../events/index.ts';
import type { DmarcService } from '../dmarc/index.ts';
import type { EdgeService } from '../edge/index.ts';
import type { MtaStsService } from '../mta-sts/index.ts';
import type { BimiService } from '../bimi/index.ts';
import { registerDmarcRoutes } from './routes/dmarc.ts';
import { registerDkimRoutes } from './routes/dkim.ts';
import { registerCheckRoutes } from './routes/checks.ts';
import { registerDnsApplyRoutes } from './routes/dns-apply.ts';
import { registerDomainConnectRoutes } from './routes/domain-connect.ts';
import { registerDomainRoutes } from './routes/domains.ts';
import { registerEdgeRoutes } from './routes/edge.ts';
import { registerMtaStsRoutes } from './routes/mta-sts.ts';
import { registerBimiRoutes } from './routes/bimi.ts';
import { registerTrackingRoutes } from './routes/tracking.ts';
import type { TrackingService } from '../tracking/index.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerGatewayRoutes } from './routes/gateway.ts';
import { registerReportRoutes, type ReportsApiDeps } from './routes/reports.ts';
import type { PasswordService, SessionService, TeamService } from '../accounts/index.ts';
import type { OverviewService } from '../overview/index.ts';
import { authenticate } from './auth.ts';
import { limitBodies, type BodyLimits } from './body-limits.ts';
import { documentCommonErrors } from './openapi-errors.ts';
import { loadDashboardFiles, serveDashboard } from './dashboard-files.ts';
import { registerOverviewRoutes } from './routes/overview.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { registerApiKeyRoutes } from './routes/api-keys.ts';
import { registerPasswordRoutes } from './routes/password.ts';
import { registerTeamRoutes } from './routes/team.ts';
import { registerSuppressionRoutes } from './routes/suppressions.ts';
import { registerFigureRoutes } from './routes/figures.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import type { AlertService } from '../alerts/index.ts';
import type { SuppressionService } from '../suppression/index.ts';
import type { FigureService } from '../complaints/index.ts';
import { enforceRoles, ownerRuleFor } from './roles.ts';
import type { CookiePolicy } from './session-cookie.ts';

export interface ApiDeps {
  readonly accounts: AccountService;
  readonly domains: DomainService;
  readonly dkim?: DkimService;
  readonly events?: EventService;
  readonly dmarc?: DmarcService;
  readonly checks: CheckService;
  /** `POST /v1/domains/{domain}/dns-apply` (RFC 2136); optional so an API can be built without it in tests. */
  readonly dnsApply?: DnsApplyService;
  /** Domain Connect: the template and a domain's signed apply link (optional like dnsApply). */
  readonly domainConnect?: DomainConnectService;
  readonly smtpCredentials: SmtpCredentialService;
  readonly traces: TraceService;
  /** The suppression list; absent: no /v1/suppressions routes. */
  readonly suppressions?: SuppressionService;
  /** Figures per domain per day; absent: no /v1/domains/{domain}/figures route. */
  readonly figures?: FigureService;
  /** Alert settings and reconciliation; absent: no /v1/alerts routes. */
  readonly alerts?: AlertService;
  readonly log: Logger;
  readonly version: string;
  /** Liveness of the store, for /readyz. */
  readonly ready: () => Promise<void>;
  /** The node's metrics in the Prometheus text format, at GET /metrics; with a token, only for that bearer. */
  readonly metrics?: {
    readonly contentType: string;
    render(): Promise<string>;
    readonly token: string;
  };
  /** DMARC, TLS and failure reports (optional so an API can be built without them in tests). */
  readonly reports?: ReportsApiDeps;
  /** Dashboard sign-in; without it only API keys authenticate. */
  readonly sessions?: SessionService;
  readonly overview?: OverviewService;
  /** Team management and password changes (optional like sessions). */
  readonly team?: TeamService;
  readonly passwords?: PasswordService;
  readonly cookie?: CookiePolicy;
  /** The built dashboard's directory; undefined serves no dashboard. */
  readonly dashboardDir?: string;
  /** Largest request bodies by route; the defaults are those of the configuration. */
  readonly bodyLimits?: BodyLimits;
  /** Where the tenant's customer hosts and their certificates stand. */
  readonly edge?: EdgeService;
  readonly mtaSts?: MtaStsService;
  readonly bimi?: BimiService;
  /** Opens, clicks and their figures; absent: no tracking routes. */
  readonly tracking?: TrackingService;
}

const DEFAULT_BODY_LIMITS: BodyLimits = { signInBytes: 4096, jsonBytes: 16_384 };

/**
 * The REST API: validate, authorise, call a capability, respond. Errors leave in one shape,
 * `{ error: { code, message, details, requestId } }`, decided in `onError` below and nowhere else.
 */
export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    // Schema violations become the same error shape as everything else.
    defaultHook: (result) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        }));
        throw new AppError('validation_failed', 'The request is invalid.', details);
      }
    },
  });

  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    const log = deps.log.child({ component: 'http', requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    // Server time, for the browser's network panel and the dashboard benchmark (W3C Server Timing).
    c.res.headers.set('Server-Timing', `app;dur=${ms.toFixed(1)}`);
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) }, 'request');
  });

  app.use('*', limitBodies(deps.bodyLimits ?? DEFAULT_BODY_LIMITS));

  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', async (c) => {
    await deps.ready();
    return c.json({ status: 'ready' });
  });
  const metrics = deps.metrics;
  if (metrics !== undefined)
    app.get('/metrics', async (c) => {
      if (metrics.token !== '' && !sameToken(c.req.header('authorization') ?? '', `Bearer ${metrics.token}`))
        return c.text('401 Unauthorized: /metrics needs the bearer token of http.metricsToken\n', 401, {
          'WWW-Authenticate': 'Bearer realm="senderd metrics"',
        });
      return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
    });

  if (deps.dashboardDir !== undefined) app.use('*', serveDashboard(loadDashboardFiles(deps.dashboardDir)));

  const cookie: CookiePolicy = deps.cookie ?? { publicOrigin: '', maxAgeSeconds: 12 * 3600 };
  app.use('/v1/*', authenticate({ accounts: deps.accounts, sessions: deps.sessions, cookie }));
  app.use('/v1/*', enforceRoles());

  if (deps.sessions !== undefined) registerSessionRoutes(app, deps.sessions, cookie);
  if (deps.passwords !== undefined) registerPasswordRoutes(app, deps.passwords, cookie);
  if (deps.team !== undefined) registerTeamRoutes(app, deps.team, cookie);
  registerApiKeyRoutes(app, deps.accounts);
  if (deps.overview !== undefined) registerOverviewRoutes(app, deps.overview);
  registerDomainRoutes(app, deps.domains);
  if (deps.dkim !== undefined) registerDkimRoutes(app, deps.dkim);
  if (deps.events !== undefined) registerEventRoutes(app, deps.events);
  if (deps.dmarc !== undefined) registerDmarcRoutes(app, deps.dmarc);
  registerCheckRoutes(app, deps.checks);
  if (deps.dnsApply !== undefined) registerDnsApplyRoutes(app, deps.dnsApply);
  if (deps.domainConnect !== undefined) registerDomainConnectRoutes(app, deps.domainConnect);
  registerGatewayRoutes(app, deps);
  if (deps.suppressions !== undefined) registerSuppressionRoutes(app, deps.suppressions);
  if (deps.figures !== undefined) registerFigureRoutes(app, deps.figures, deps.domains);
  if (deps.reports !== undefined) registerReportRoutes(app, deps.reports);
  if (deps.edge !== undefined) registerEdgeRoutes(app, deps.edge);
  if (deps.mtaSts !== undefined) registerMtaStsRoutes(app, deps.mtaSts);
  if (deps.bimi !== undefined) registerBimiRoutes(app, deps.bimi);
  if (deps.alerts !== undefined) registerAlertRoutes(app, deps.alerts);
  if (deps.tracking !== undefined) registerTrackingRoutes(app, deps.tracking, deps.domains);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `senderd apikey create`, sent as `Authorization: Bearer sdk_...`.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'senderd_session',
    description:
      'The dashboard session from POST /v1/session (`__Host-senderd_session` over HTTPS). Every POST, PUT, PATCH and DELETE made with it must come from the same origin and carry the X-CSRF-Token header.',
  });
  // Every route an API key may call, a dashboard session may call too (src/api/auth.ts decides both).
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route as {
      method: string;
      path: string;
      security?: Array<Record<string, string[]>>;
      responses: Record<string, unknown>;
    };
    if (route.security?.some((s) => 'apiKey' in s) && !route.security.some((s) => 'session' in s)) {
      route.security = [...route.security, { session: [] }];
    }
    // The role matrix (src/api/roles.ts) is documented on each route it covers, from the same table.
    const rule = ownerRuleFor(route.method.toUpperCase(), route.path);
    if (rule !== undefined) {
      route.responses['403'] ??= error(`A dashboard session of a member: only owners can ${rule.action}.`);
    }
  }
  documentCommonErrors(app);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'senderd',
      version: deps.version,
      description: 'Sender domains, their DNS record plans, and the records senderd hosts.',
    },
  });

  app.notFound((c) =>
    errorResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}.`)),
  );
  app.onError((error, c) => errorResponse(c, error));
  return app;
}

function isClientHttpException(error: unknown): error is Error & { status: number } {
  return (
    error instanceof Error &&
    typeof (error as { getResponse?: unknown }).getResponse === 'function' &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as unknown as { status: number }).status < 500
  );
}

function errorResponse(c: Context<ApiEnv>, error: unknown): Response {
  const requestId = c.get('requestId') ?? 'none';
  if (isAppError(error)) {
    // The rest of an oversize body is not read: the connection closes after the answer (RFC 9110 §15.5.14).
    if (error.code === 'payload_too_large') c.header('Connection', 'close');
    return c.json(
      { error: { code: error.code, message: error.message, details: error.details, requestId } },
      HTTP_STATUS[error.code],
    );
  }
  // Hono's own validators reject a body they cannot read (malformed JSON) with an HTTPException. It is checked
  // by shape, not instanceof, so that a second copy of hono in node_modules cannot turn a 400 into a 500.
  if (isClientHttpException(error)) {
    const message = /json/i.test(error.message)
      ? 'The body is not valid JSON.'
      : /media type/i.test(error.message)
        ? 'Send the body as JSON, with the header Content-Type: application/json.'
        : error.message || 'Bad request.';
    return c.json({ error: { code: 'bad_request', message, details: [], requestId } }, 400);
  }
  c.get('log')?.error({ err: error }, 'unhandled error');
  return c.json(
    { error: { code: 'internal', message: 'Something went wrong on our side.', details: [], requestId } },
    500,
  );
}

/** Compares a presented Authorization header with the expected one in constant time (by their SHA-256). */
function sameToken(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
