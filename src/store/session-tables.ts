/** Tables of the dashboard's sign-in (migration 0900-sessions). */
export interface SessionTables {
  sessions: SessionsTable;
}

/** Server-side sessions. The key is the SHA-256 of the cookie value; the value itself is never stored. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  tenant_id: string;
  access: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}
