import type { Generated } from 'kysely';

/** Tables of the edge capability (migration 0700-edge). Private keys are stored only sealed (kek id + sealed). */
export interface EdgeTables {
  edge_hosts: EdgeHostsTable;
  edge_certificates: EdgeCertificatesTable;
  edge_challenges: EdgeChallengesTable;
  edge_acme_accounts: EdgeAcmeAccountsTable;
  edge_orders: EdgeOrdersTable;
}

/** A customer host name, the state of its certificate, a pending order, and the lease of the node working on it. */
export interface EdgeHostsTable {
  hostname: string;
  role: string;
  domain_id: string;
  tenant_id: string;
  status: string;
  order_url: string | null;
  order_started_at: string | null;
  order_key_kek_id: string | null;
  order_key_sealed: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  certificate_id: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  /** Goes up with every write, so that other nodes notice a change (servedStamp). */
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface EdgeCertificatesTable {
  id: string;
  hostname: string;
  serial: string;
  issuer: string;
  not_before: string;
  not_after: string;
  issued_at: string;
  fingerprint: string;
  chain_pem: string;
  key_kek_id: string;
  key_sealed: string;
}

export interface EdgeChallengesTable {
  token: string;
  hostname: string;
  key_authorization: string;
  created_at: string;
}

export interface EdgeAcmeAccountsTable {
  directory_url: string;
  account_url: string;
  key_kek_id: string;
  key_sealed: string;
  created_at: string;
}

/** Every order placed, kept after its host goes: the CA counts orders per account, so senderd does too. */
export interface EdgeOrdersTable {
  id: Generated<number>;
  hostname: string;
  order_url: string;
  created_at: string;
}
