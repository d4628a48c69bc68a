/** Tables of team management (migration 0910-team). */
export interface TeamTables {
  password_links: PasswordLinksTable;
}

/** One-time set-password links. The key is the SHA-256 of the token; the token itself is never stored. */
export interface PasswordLinksTable {
  token_hash: string;
  user_id: string;
  tenant_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
