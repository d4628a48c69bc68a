import type { Kysely, Selectable } from 'kysely';
import type { AccountRepository, ApiKeyRecord, Tenant, User, UserRole } from '../accounts/index.ts';
import type { Database } from './database.ts';
import type { ApiKeysTable, TenantsTable, UsersTable } from './foundation-tables.ts';

const toTenant = (r: Selectable<TenantsTable>): Tenant => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

const toApiKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** A users row as the accounts capability's User (sessions read users too). */
export const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  passwordHash: r.password_hash,
  role: r.role as UserRole,
  createdAt: r.created_at,
});

export function accountRepository(db: Kysely<Database>): AccountRepository {
  return {
    async insertTenant(t) {
      await db.insertInto('tenants').values({ id: t.id, name: t.name, created_at: t.createdAt }).execute();
    },
    async findTenantById(id) {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toTenant(row) : null;
    },
    async findTenantByName(name) {
      const row = await db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? toTenant(row) : null;
    },
    async listTenants() {
      return (await db.selectFrom('tenants').selectAll().orderBy('name').execute()).map(toTenant);
    },

    async insertApiKey(k) {
      await db
        .insertInto('api_keys')
        .values({
          id: k.id,
          tenant_id: k.tenantId,
          name: k.name,
          secret_hash: k.secretHash,
          created_at: k.createdAt,
          last_used_at: k.lastUsedAt,
          revoked_at: k.revokedAt,
        })
        .execute();
    },
    async findApiKey(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
    async listApiKeys(tenantId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(toApiKey);
    },
    async touchApiKey(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async revokeApiKey(tenantId, id, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async insertUser(u) {
      await db
        .insertInto('users')
        .values({
          id: u.id,
          tenant_id: u.tenantId,
          email: u.email,
          password_hash: u.passwordHash,
          role: u.role,
          created_at: u.createdAt,
        })
        .execute();
    },
    async findUserByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row ? toUser(row) : null;
    },
  };
}
