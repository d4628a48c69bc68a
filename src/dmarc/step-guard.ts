/**
 * What makes a manual step up risky enough to need an explicit `force` (issue 15): more than one rung at once,
 * legitimate-looking mail that fails DMARC in the impact window (the mail enforcement would hurt), or a domain that
 * is not verified (its DNS may not use the hosted record yet, so nobody has seen its reports). Stepping down is
 * always allowed: it only relaxes the policy.
 */
import type { SourceEvidence, WindowEvidence } from './evidence.ts';
import type { PolicyImpact } from './impact.ts';

export type StepRiskReason = 'several_steps' | 'failing_legitimate_mail' | 'unverified_domain';

export interface StepRisk {
  readonly reason: StepRiskReason;
  readonly message: string;
}

/** Days of reports the guard looks at: the dashboard's and the API's impact preview. */
export const GUARD_WINDOW_DAYS = 14;

/**
 * Failing mail that looks legitimate, as the autopilot counts it: the platform's own mail that fails, and mail from
 * other senders that authenticated for some other domain (a real sender never set up). Forwarders are not judged
 * (RFC 7489 §10.5 breaks them anyway) and unauthenticated failing mail is spoofing by all signs.
 */
export function failingLegitimate(s: SourceEvidence): number {
  if (s.class === 'forwarder') return 0;
  if (s.class === 'platform') return Math.max(0, s.messages - s.dmarcPass);
  return s.authenticatedUnaligned;
}

export interface StepGuardInput {
  readonly domain: string;
  readonly verified: boolean;
  readonly from: { readonly index: number; readonly label: string };
  readonly to: { readonly index: number; readonly label: string };
  /** The impact window's evidence, or null when there are no report statistics. */
  readonly window: WindowEvidence | null;
  readonly impact: PolicyImpact | null;
}

export function stepRisks(input: StepGuardInput): StepRisk[] {
  const { from, to } = input;
  if (to.index <= from.index) return [];
  const risks: StepRisk[] = [];
  if (to.index - from.index > 1)
    risks.push({
      reason: 'several_steps',
      message: `${to.index - from.index} steps up at once, from ${from.label} to ${to.label}`,
    });
  const legitimate = (input.window?.sources ?? []).reduce((n, s) => n + failingLegitimate(s), 0);
  if (legitimate > 0 && input.impact !== null)
    risks.push({
      reason: 'failing_legitimate_mail',
      message: `in the last ${GUARD_WINDOW_DAYS} days ${legitimate.toLocaleString('en')} legitimate-looking messages failed DMARC (${input.impact.failing.toLocaleString('en')} of ${input.impact.messages.toLocaleString('en')} failed in all); at ${to.label} RFC 7489 receivers would quarantine ${input.impact.rfc7489.quarantine.toLocaleString('en')} and reject ${input.impact.rfc7489.reject.toLocaleString('en')} of the failing mail`,
    });
  if (!input.verified)
    risks.push({
      reason: 'unverified_domain',
      message: `${input.domain} is not verified: its DNS may not use the hosted records yet`,
    });
  return risks;
}
