/** Tables of the dkim and events capabilities (migration 0200-dkim). */
export interface DkimTables {
  dkim_keys: DkimKeysTable;
  dkim_policies: DkimPoliciesTable;
  dkim_notices: DkimNoticesTable;
  events: EventsTable;
  event_deliveries: EventDeliveriesTable;
  notification_settings: NotificationSettingsTable;
}

export interface DkimKeysTable {
  id: string;
  tenant_id: string;
  domain_id: string;
  selector: string;
  algorithm: string;
  bits: number;
  origin: string;
  state: string;
  public_key: string;
  fingerprint: string;
  /** Which key-encryption key sealed the private key. */
  kek_id: string;
  /** base64(nonce ‖ AES-256-GCM ciphertext of the PKCS#8 DER ‖ tag); never the key in clear. */
  sealed_private_key: string;
  created_at: string;
  activated_at: string | null;
  retiring_at: string | null;
  retired_at: string | null;
  revoked_at: string | null;
  unpublished_at: string | null;
  visible_at: string | null;
  activation_override: number;
  revoke_reason: string | null;
  warnings: string;
}

export interface DkimPoliciesTable {
  domain_id: string;
  overrides: string;
  updated_at: string;
}

export interface DkimNoticesTable {
  domain_id: string;
  notice_key: string;
  last_at: string;
}

export interface EventsTable {
  id: string;
  tenant_id: string;
  domain_id: string | null;
  type: string;
  severity: string;
  message: string;
  data: string;
  at: string;
}

/** The outbox: one row per event and channel, until delivered or given up. */
export interface EventDeliveriesTable {
  id: string;
  event_id: string;
  tenant_id: string;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface NotificationSettingsTable {
  tenant_id: string;
  webhook_url: string | null;
  webhook_kek_id: string | null;
  webhook_secret_sealed: string | null;
  email_to: string;
  min_severity: string;
  updated_at: string;
}
