/** Tables of the alerts capability (migration 1040-alerts): settings per tenant and the state of each condition. */
export interface AlertTables {
  alert_settings: AlertSettingsTable;
  alert_states: AlertStatesTable;
}

export interface AlertSettingsTable {
  tenant_id: string;
  /** JSON: the thresholds and switches (src/alerts AlertSettings without the digest). */
  settings: string;
  /** off, daily or weekly. */
  digest: string;
  digest_sent_at: string | null;
  updated_at: string;
}

/** One row per condition ever opened for a domain; `cleared_at` null while it holds. */
export interface AlertStatesTable {
  domain_id: string;
  kind: string;
  /** '' for conditions of the whole domain. */
  subject: string;
  tenant_id: string;
  opened_at: string;
  last_seen_at: string;
  cleared_at: string | null;
}
