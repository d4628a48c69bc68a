/** Tables of the platform's own secrets (migration 0920-platform-secrets). */
export interface PlatformSecretTables {
  platform_secrets: PlatformSecretsTable;
}

export interface PlatformSecretsTable {
  name: string;
  kek_id: string;
  sealed: string;
  created_at: string;
}
