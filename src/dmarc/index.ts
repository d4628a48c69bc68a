/** DMARC policy: the rollout ladder, the published record, how receivers read it, the autopilot and impact. */
export { LADDER, LAST_STEP, stepAt, oneLevelBelow, expectedTreatment, allowsBimi } from './ladder.ts';
export type { Disposition, LadderStep } from './ladder.ts';
export { buildDmarcRecord, DEFAULT_POLICY } from './dmarc-record.ts';
export type { DmarcPolicy } from './dmarc-record.ts';
export { parseDmarcTags, appliedPolicy } from './dmarc-reading.ts';
export type { AppliedPolicy, DmarcTags } from './dmarc-reading.ts';
export { decide, DEFAULT_AUTOPILOT } from './autopilot.ts';
export type { AutopilotDecision, AutopilotInput, AutopilotSettings, Check } from './autopilot.ts';
export { mergeWindows, unauthenticated } from './evidence.ts';
export type { DmarcEvidenceSource, SourceClass, SourceEvidence, WindowEvidence } from './evidence.ts';
export { policyImpact } from './impact.ts';
export type { PolicyImpact, SourceImpact } from './impact.ts';
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
