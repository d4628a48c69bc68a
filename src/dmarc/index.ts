/**
 * DMARC policy: the rollout ladder, the published record and the one parser of DMARC records (RFC 7489, RFC 9989),
 * how receivers read it, the autopilot and impact.
 */
export { LADDER, LAST_STEP, stepAt, oneLevelBelow, expectedTreatment, allowsBimi } from './ladder.ts';
export type { Disposition, LadderStep } from './ladder.ts';
export { buildDmarcRecord, DEFAULT_POLICY, isDmarcRecord, parseDmarcRecord } from './dmarc-record.ts';
export type { DmarcFault, DmarcPolicy, DmarcRecord, DmarcUri, ParsedDmarcRecord } from './dmarc-record.ts';
export { appliedPolicy } from './dmarc-reading.ts';
export type { AppliedPolicy } from './dmarc-reading.ts';
export { decide, DEFAULT_AUTOPILOT } from './autopilot.ts';
export type { AutopilotDecision, AutopilotInput, AutopilotSettings, Check } from './autopilot.ts';
export { mergeWindows, unauthenticated } from './evidence.ts';
export type { DmarcEvidenceSource, SourceClass, SourceEvidence, WindowEvidence } from './evidence.ts';
export { policyImpact } from './impact.ts';
export type { PolicyImpact, SourceImpact } from './impact.ts';
export { GUARD_WINDOW_DAYS, stepRisks, type StepRisk, type StepRiskReason } from './step-guard.ts';
export { DmarcService } from './dmarc-service.ts';
export type { DmarcServiceDeps, DmarcView } from './dmarc-service.ts';
export { DmarcScheduler } from './dmarc-scheduler.ts';
export { dnsReportAuthorizationProbe } from './report-authorization.ts';
export { dmarcPolicyInput } from './policy-input.ts';
export type { DmarcPolicyInput } from './policy-input.ts';
export type {
  DecisionActor,
  DmarcDecision,
  DmarcRepository,
  ReportAuthorizationProbe,
  ScheduledStep,
  StoredDmarcPolicy,
} from './ports.ts';
