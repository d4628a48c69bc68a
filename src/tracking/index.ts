/**
 * Click and open tracking (issue 17) and one-click unsubscribe (issue 18). Link rewriting of one message
 * (`rewriteMessage`, pure: bytes in, bytes out) and the gateway's hook over it (`gatewayLinkRewriter`: per
 * recipient, before DKIM signing), link tokens (`signLinkToken`, `verifyLinkToken`), and the
 * receiving side: the click host's `/c/`, `/o/` and `/u/` routes on the edge, the classification of each visit
 * (human, privacy proxy, scanner), its storage and the figures.
 */
export { prepareRewrite, rewriteMessage } from './message-rewriter.ts';
export { gatewayLinkRewriter } from './link-rewriter.ts';
export type { GatewayLinkRewriter, GatewayMessageRewrite, MessageRewriteInput } from './link-rewriter.ts';
export type {
  PartEdit,
  RewriteOptions,
  RewriteResult,
  RewriteTemplate,
  RewrittenPart,
  TemplateOptions,
} from './message-rewriter.ts';
export { checkLinkTokenKeys, signLinkToken, verifyLinkToken } from './link-token.ts';
export type {
  LinkClaims,
  LinkKind,
  LinkTokenKey,
  LinkTokenKeys,
  LinkTokenProblem,
  VerifiedLink,
} from './link-token.ts';
/** The edge routes of the click host: click redirects, the open pixel, RFC 8058 one-click unsubscribe. */
export { redirectTarget, trackingRoutes } from './tracking-routes.ts';
export type { TrackingRouteDeps } from './tracking-routes.ts';
/** Visits recorded with their class, unsubscribes, figures and the retention purge. */
export { TrackingService } from './tracking-service.ts';
export type {
  TrackedMessage,
  TrackedTarget,
  TrackingServiceDeps,
  UnsubscribeRequest,
  VisitRequest,
  VisitStats,
} from './tracking-service.ts';
/** People versus machines: the pure classifier and its rules (data, with their sources). */
export { classifyVisit, compileVisitRules, DEFAULT_VISIT_RULES, VISIT_CLASSES } from './visit-classifier.ts';
export type { Verdict, Visit, VisitClass, VisitKind, VisitRules } from './visit-classifier.ts';
export { clientNetwork } from './client-network.ts';
export { isOneClickBody } from './one-click-body.ts';
export type {
  ByClass,
  DomainFigures,
  EventListQuery,
  LinkFigures,
  RecipientKey,
  StoredTrackingEvent,
  TrackingDay,
  TrackingEvent,
  TrackingRepository,
} from './model.ts';
