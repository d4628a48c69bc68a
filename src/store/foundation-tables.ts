import type { Generated } from 'kysely';

/** Tables of the foundation (migration 0001-foundation): tenants, users, API keys, domains, tokens, the change log. */
export interface FoundationTables {
  tenants: TenantsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  domains: DomainsTable;
  issued_tokens: IssuedTokensTable;
  changes: ChangesTable;
}

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  password_hash: string;
  role: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface DomainsTable {
  id: string;
  tenant_id: string;
  name: string;
  token: string;
  mode: string;
  bounce_label: string;
  click_label: string;
  tracking: number;
  spf_mechanisms: string;
  dkim_selectors: string;
  own_dkim_selectors: string;
  /** MTA-STS settings as JSON (domains' MtaStsSettings), or null while off (0950-domains-mta-sts). */
  mta_sts: string | null;
  /** Sending settings as JSON (domains' SendingSettings), or null while all off (1000-domains-sending). */
  sending: string | null;
  created_at: string;
  updated_at: string;
  verified_at: string | null;
}

/** Every token ever issued. Never deleted, so a token is never issued twice. */
export interface IssuedTokensTable {
  token: string;
  issued_at: string;
}

/**
 * An append-only log of changes that other nodes and components must notice (the DNS server rebuilds the names
 * of a changed domain). Its id rises monotonically.
 */
export interface ChangesTable {
  id: Generated<number>;
  at: string;
  tenant_id: string | null;
  subject: string;
  subject_id: string;
  action: string;
}
