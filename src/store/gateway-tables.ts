import type { Generated } from 'kysely';

/** The gateway's tables (migration 0500-gateway): SMTP credentials, and the per-message trace. */
export interface GatewayTables {
  smtp_credentials: SmtpCredentialsTable;
  gateway_messages: GatewayMessagesTable;
  gateway_attempts: GatewayAttemptsTable;
  gateway_bounces: GatewayBouncesTable;
}

export interface SmtpCredentialsTable {
  id: string;
  tenant_id: string;
  username: string;
  name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface GatewayMessagesTable {
  id: string;
  tenant_id: string;
  domain_id: string | null;
  sender_domain: string | null;
  header_from: string;
  submitted_mail_from: string;
  /** JSON: [{ address, envelopeFrom }] */
  recipients: string;
  /** JSON: [{ signingDomain, selector, algorithm, keyId }] */
  signatures: string;
  signing_decision: string;
  client_address: string;
  credential: string | null;
  size: number;
  accepted_at: string;
  status: string;
  updated_at: string;
}

export interface GatewayAttemptsTable {
  id: Generated<number>;
  message_id: string;
  tenant_id: string;
  recipient: string;
  at: string;
  status: string;
  code: number;
  reply: string;
  host: string;
  tls: number;
}

export interface GatewayBouncesTable {
  id: Generated<number>;
  message_id: string;
  tenant_id: string;
  domain_id: string | null;
  recipient: string;
  at: string;
  reason: string;
  code: number;
  reply: string;
  class: string;
  rule: string;
  status: string | null;
}
