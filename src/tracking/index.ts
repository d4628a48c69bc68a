/**
 * Click and open tracking (issue 17). What exists: link rewriting of one message (`rewriteMessage`, pure: bytes
 * in, bytes out) and link tokens (`signLinkToken`, `verifyLinkToken`). Not yet: the gateway hook that calls the
 * rewriter before DKIM signing, the edge's `/c/` and `/o/` routes, event storage and classification.
 */
export { rewriteMessage } from './message-rewriter.ts';
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
