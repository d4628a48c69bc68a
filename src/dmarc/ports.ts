import type { AutopilotSettings, Check } from './autopilot.ts';
import type { DmarcPolicy } from './dmarc-record.ts';

/** A dated step from a rollout calendar ("quarantine 5% on 1 March"), as SMTPeter offers. */
export interface ScheduledStep {
  readonly at: string;
  readonly step: number;
}

/** A domain's DMARC state as stored. */
export interface StoredDmarcPolicy {
  readonly domainId: string;
  readonly tenantId: string;
  readonly policy: DmarcPolicy;
  readonly autopilot: AutopilotSettings;
  readonly schedule: readonly ScheduledStep[];
  /** When the step last changed, by anyone. */
  readonly stepChangedAt: string;
  readonly updatedAt: string;
}

export type DecisionActor = 'user' | 'schedule' | 'autopilot';

/** Every change of step, and every autopilot evaluation that held, with its evidence. */
export interface DmarcDecision {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string;
  readonly at: string;
  readonly actor: DecisionActor;
  readonly action: 'advance' | 'hold' | 'rollback' | 'set' | 'idle';
  readonly fromStep: number;
  readonly toStep: number;
  readonly reason: string;
  readonly checks: readonly Check[];
}

export interface DmarcRepository {
  find(domainId: string): Promise<StoredDmarcPolicy | null>;
  /** The stored policies of many domains at once (a full zone build); domains without one are absent. */
  findMany(domainIds: readonly string[]): Promise<StoredDmarcPolicy[]>;
  /** Saves the policy (and the decision that changed it, if any) and logs a change for the domain's records. */
  save(policy: StoredDmarcPolicy, decision: DmarcDecision | null): Promise<void>;
  /** Records a decision that changed nothing (an autopilot hold). */
  recordDecision(decision: DmarcDecision): Promise<void>;
  decisions(tenantId: string, domainId: string, limit: number): Promise<DmarcDecision[]>;
  /** Domains the scheduler must look at: autopilot on, or a calendar with entries. */
  listAutomated(): Promise<StoredDmarcPolicy[]>;
}

/**
 * Whether `reportDomain` accepts DMARC reports about `senderDomain`: a TXT record starting "v=DMARC1" at
 * `<senderDomain>._report._dmarc.<reportDomain>` (RFC 7489 §7.1, RFC 9990 §4).
 */
export interface ReportAuthorizationProbe {
  check(senderDomain: string, reportDomain: string): Promise<'authorized' | 'missing' | 'unknown'>;
}
