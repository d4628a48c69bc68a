/**
 * Bounce classes: a pure classifier of delivery failures into hard / soft / block / unknown, whose rules are a
 * data table (bounce-rules.ts) held to a table of real receivers' replies (test/bounces/). The gateway classifies
 * every bounce it records with it; the suppression list acts on the class.
 */

/** `classifyBounce`: the class of a failure, with the rule and the enhanced status code that decided it. */
export { classifyBounce } from './bounce-classifier.ts';
export type { BounceFacts, BounceVerdict } from './bounce-classifier.ts';
/** The rules, first match wins; `BounceClass` is hard, soft, block or unknown. */
export { BOUNCE_RULES } from './bounce-rules.ts';
export type { BounceClass, BounceRule } from './bounce-rules.ts';
