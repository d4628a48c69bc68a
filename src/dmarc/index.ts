/** DMARC policy: the rollout ladder, the published record, and how receivers read it. */
export { LADDER, LAST_STEP, stepAt, oneLevelBelow, expectedTreatment, allowsBimi } from './ladder.ts';
export type { Disposition, LadderStep } from './ladder.ts';
export { buildDmarcRecord, DEFAULT_POLICY } from './dmarc-record.ts';
export type { DmarcPolicy } from './dmarc-record.ts';
export { parseDmarcTags, appliedPolicy } from './dmarc-reading.ts';
export type { AppliedPolicy, DmarcTags } from './dmarc-reading.ts';
