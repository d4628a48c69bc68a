import type { Generated } from 'kysely';

/** Tables of the suppression list (migration 0970-suppressions). */
export interface SuppressionTables {
  suppressions: SuppressionsTable;
  suppression_audit: SuppressionAuditTable;
  suppression_settings: SuppressionSettingsTable;
}

/** The tenant's choice for a suppressed recipient: refuse at RCPT (no row) or accept and drop. */
export interface SuppressionSettingsTable {
  tenant_id: string;
  action: string;
  updated_at: string;
  updated_by: string;
}

/**
 * One row per tenant, normalised address and scope; the primary key (tenant_id, address, domain) is the RCPT-time
 * lookup. `domain` is a sender domain (A-labels) for an entry scoped to it, '' for the whole tenant (migration
 * 1100-suppression-domain).
 */
export interface SuppressionsTable {
  tenant_id: string;
  address: string;
  domain: Generated<string>;
  reason: string;
  source: string;
  evidence: string;
  message_id: string | null;
  created_at: string;
  expires_at: string | null;
  created_by: string;
}

export interface SuppressionAuditTable {
  id: Generated<number>;
  tenant_id: string;
  address: string;
  action: string;
  reason: string | null;
  at: string;
  actor: string;
  why: string;
  /** The entry's scope, as in suppressions; '' for the whole tenant. */
  domain: Generated<string>;
}
