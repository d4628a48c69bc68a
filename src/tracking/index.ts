/**
 * Click and open tracking (issue 17). What exists: link rewriting of one message (`rewriteMessage`, pure: bytes
 * in, bytes out), link tokens (`signLinkToken`, `verifyLinkToken`), and the gateway's hook over them
 * (`gatewayLinkRewriter`: per recipient, before DKIM signing). Not yet here: the edge's `/c/`, `/o/` and `/u/`
 * routes, event storage and classification.
 */
export { rewriteMessage } from './message-rewriter.ts';
export { gatewayLinkRewriter } from './link-rewriter.ts';
export type { GatewayLinkRewriter, RecipientRewrite } from './link-rewriter.ts';
export type { PartEdit, RewriteOptions, RewriteResult, RewrittenPart } from './message-rewriter.ts';
export { checkLinkTokenKeys, signLinkToken, verifyLinkToken } from './link-token.ts';
export type {
  LinkClaims,
  LinkKind,
  LinkTokenKey,
  LinkTokenKeys,
  LinkTokenProblem,
  VerifiedLink,
} from './link-token.ts';
