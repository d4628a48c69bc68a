import type { Generated } from 'kysely';
import type { DkimTables } from './dkim-tables.ts';
import type { DmarcTables } from './dmarc-tables.ts';
import type { ChecksTables } from './checks-tables.ts';
import type { GatewayTables } from './gateway-tables.ts';
import type { ReportsTables } from './reports-tables.ts';
import type { SessionTables } from './session-tables.ts';
import type { DnsTables } from './dns-tables.ts';
import type { PlatformSecretTables } from './platform-secret-repository.ts';
import type { TeamTables } from './team-tables.ts';

/**
 * The tables, as Kysely sees them. Column types are dialect-neutral: text ids, ISO-8601 UTC timestamps as text
 * (they sort correctly as strings), booleans as 0/1 integers, lists as JSON text.
 */
export type Database = FoundationTables &
  DnsTables &
  DkimTables &
  DmarcTables &
  ChecksTables &
  GatewayTables &
  ReportsTables &
  SessionTables &
  TeamTables &
  PlatformSecretTables;
// Each capability that stores data adds an interface of its tables in its own file and joins it here with `&`.

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
