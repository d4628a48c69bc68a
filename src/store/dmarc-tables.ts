/** DMARC policy per domain, and the log of rollout decisions. */
export interface DmarcTables {
  dmarc_policies: DmarcPoliciesTable;
  dmarc_decisions: DmarcDecisionsTable;
}

export interface DmarcPoliciesTable {
  domain_id: string;
  tenant_id: string;
  step: number;
  /** JSON: sp, np, adkim, aspf, fo, extraRua, ruf, bimi. */
  options: string;
  /** JSON AutopilotSettings. */
  autopilot: string;
  /** JSON ScheduledStep[]. */
  schedule: string;
  automated: number;
  step_changed_at: string;
  updated_at: string;
}

export interface DmarcDecisionsTable {
  id: string;
  tenant_id: string;
  domain_id: string;
  at: string;
  actor: string;
  action: string;
  from_step: number;
  to_step: number;
  reason: string;
  /** JSON Check[]. */
  checks: string;
}
