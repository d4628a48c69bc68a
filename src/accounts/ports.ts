import type { ApiKeyRecord, Tenant, User } from './model.ts';

/** What the accounts capability needs from the store. The store returns null for "not found". */
export interface AccountRepository {
  insertTenant(tenant: Tenant): Promise<void>;
  findTenantById(id: string): Promise<Tenant | null>;
  findTenantByName(name: string): Promise<Tenant | null>;
  listTenants(): Promise<Tenant[]>;

  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  touchApiKey(id: string, at: string): Promise<void>;
  revokeApiKey(tenantId: string, id: string, at: string): Promise<boolean>;

  insertUser(user: User): Promise<void>;
  findUserByEmail(email: string): Promise<User | null>;
}
