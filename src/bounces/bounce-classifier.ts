/**
 * Classifies a delivery failure (a receiver's 4xx/5xx, a DSN's status and diagnostic, the last reply of a message
 * that expired in the queue) into hard / soft / block / unknown by the rules in bounce-rules.ts. Pure: the
 * evidence (the rule that decided, the enhanced status code read, the text) comes back with the class, so every
 * bounce record can say why it is what it is.
 */
import { readEnhancedStatus } from '../mail/index.ts';
import { BOUNCE_RULES, type BounceClass, type BounceRule } from './bounce-rules.ts';

export interface BounceFacts {
  /** The basic reply code (RFC 5321 §4.2); 0 when there was no reply (connection failures). */
  readonly code: number;
  /** The reply text, or a DSN's Diagnostic-Code. */
  readonly reply: string;
  /** A DSN's Status field (RFC 3464 §2.3.4), which is surer than a code read from the text. */
  readonly status?: string;
}

export interface BounceVerdict {
  readonly class: BounceClass;
  /** The id of the rule that decided. */
  readonly rule: string;
  /** The enhanced status code the decision read, or null when there was none. */
  readonly status: string | null;
}

/** The class of one failure, with the rule and code that decided it. */
export function classifyBounce(
  facts: BounceFacts,
  rules: readonly BounceRule[] = BOUNCE_RULES,
): BounceVerdict {
  const status = facts.status || readEnhancedStatus(facts.reply)?.code || null;
  // The reply class: the basic code's, else the enhanced code's (a DSN without a diagnostic has only that).
  const replyClass = classOf(facts.code) ?? classOf(Number(status?.[0] ?? 0) * 100);
  for (const rule of rules) {
    if (rule.replyClass !== undefined && rule.replyClass !== replyClass) continue;
    if (rule.status !== undefined && (status === null || !rule.status.test(status))) continue;
    if (rule.text !== undefined && !rule.text.test(facts.reply)) continue;
    return { class: rule.class, rule: rule.id, status };
  }
  return { class: 'unknown', rule: 'none', status };
}

function classOf(code: number): 4 | 5 | null {
  const c = Math.floor(code / 100);
  return c === 4 || c === 5 ? c : null;
}
