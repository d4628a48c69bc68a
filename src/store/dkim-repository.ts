import type { Kysely, Selectable } from 'kysely';
import type {
  DkimKey,
  DkimKeyRepository,
  KeyAlgorithm,
  KeyOrigin,
  KeyState,
  KeyUpdate,
  PolicyOverrides,
} from '../dkim/index.ts';
import type { Database } from './database.ts';
import type { DkimKeysTable } from './dkim-tables.ts';
import { logChange } from './domain-repository.ts';

/** A key row without its sealed private key (toKey never reads it, and most queries leave it out). */
const toKey = (r: Omit<Selectable<DkimKeysTable>, 'sealed_private_key'>): DkimKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  selector: r.selector,
  algorithm: r.algorithm as KeyAlgorithm,
  bits: r.bits,
  origin: r.origin as KeyOrigin,
  state: r.state as KeyState,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  createdAt: r.created_at,
  activatedAt: r.activated_at,
  retiringAt: r.retiring_at,
  retiredAt: r.retired_at,
  revokedAt: r.revoked_at,
  unpublishedAt: r.unpublished_at,
  visibleAt: r.visible_at,
  activationOverride: r.activation_override === 1,
  revokeReason: r.revoke_reason,
  // Most keys have no warnings: "[]" needs no parser (a full zone build reads every published key).
  warnings: r.warnings === '[]' ? [] : (JSON.parse(r.warnings) as string[]),
});

/** The public columns: the sealed private key is read only by sealedKey(). */
const PUBLIC_COLUMNS = [
  'id',
  'tenant_id',
  'domain_id',
  'selector',
  'algorithm',
  'bits',
  'origin',
  'state',
  'public_key',
  'fingerprint',
  'kek_id',
  'created_at',
  'activated_at',
  'retiring_at',
  'retired_at',
  'revoked_at',
  'unpublished_at',
  'visible_at',
  'activation_override',
  'revoke_reason',
  'warnings',
] as const;

function columnsOf(changes: KeyUpdate['changes']): Partial<DkimKeysTable> {
  const out: Partial<DkimKeysTable> = {};
  if (changes.state !== undefined) out.state = changes.state;
  if (changes.activatedAt !== undefined) out.activated_at = changes.activatedAt;
  if (changes.retiringAt !== undefined) out.retiring_at = changes.retiringAt;
  if (changes.retiredAt !== undefined) out.retired_at = changes.retiredAt;
  if (changes.revokedAt !== undefined) out.revoked_at = changes.revokedAt;
  if (changes.visibleAt !== undefined) out.visible_at = changes.visibleAt;
  if (changes.activationOverride !== undefined) out.activation_override = changes.activationOverride ? 1 : 0;
  if (changes.revokeReason !== undefined) out.revoke_reason = changes.revokeReason;
  return out;
}

export function dkimRepository(db: Kysely<Database>): DkimKeyRepository {
  const select = () => db.selectFrom('dkim_keys').select(PUBLIC_COLUMNS);
  const sealedRow = (r: {
    id: string;
    tenant_id: string;
    domain_id: string;
    algorithm: string;
    kek_id: string;
    sealed_private_key: string;
  }) => ({
    id: r.id,
    tenantId: r.tenant_id,
    domainId: r.domain_id,
    algorithm: r.algorithm as KeyAlgorithm,
    secret: { kekId: r.kek_id, sealed: r.sealed_private_key },
  });
  const sealedColumns = [
    'id',
    'tenant_id',
    'domain_id',
    'algorithm',
    'kek_id',
    'sealed_private_key',
  ] as const;

  return {
    async insert(key, secret, also) {
      await db.transaction().execute(async (trx) => {
        if (also.unpublish.length > 0)
          await trx
            .updateTable('dkim_keys')
            .set({ unpublished_at: key.createdAt })
            .where('id', 'in', [...also.unpublish])
            .execute();
        if (also.revoke.length > 0)
          await trx
            .updateTable('dkim_keys')
            .set({
              state: 'revoked',
              revoked_at: key.createdAt,
              revoke_reason: also.reason,
              unpublished_at: key.createdAt,
            })
            .where('id', 'in', [...also.revoke])
            .execute();
        await trx
          .insertInto('dkim_keys')
          .values({
            id: key.id,
            tenant_id: key.tenantId,
            domain_id: key.domainId,
            selector: key.selector,
            algorithm: key.algorithm,
            bits: key.bits,
            origin: key.origin,
            state: key.state,
            public_key: key.publicKey,
            fingerprint: key.fingerprint,
            kek_id: secret.kekId,
            sealed_private_key: secret.sealed,
            created_at: key.createdAt,
            activated_at: key.activatedAt,
            retiring_at: key.retiringAt,
            retired_at: key.retiredAt,
            revoked_at: key.revokedAt,
            unpublished_at: key.unpublishedAt,
            visible_at: key.visibleAt,
            activation_override: key.activationOverride ? 1 : 0,
            revoke_reason: key.revokeReason,
            warnings: JSON.stringify(key.warnings),
          })
          .execute();
        await logChange(trx, key.createdAt, key.tenantId, 'domain', key.domainId, 'dkim-key-published');
      });
    },
    async update(domainId, tenantId, updates, at) {
      if (updates.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const u of updates) {
          await trx
            .updateTable('dkim_keys')
            .set(columnsOf(u.changes))
            .where('id', '=', u.id)
            .where('domain_id', '=', domainId)
            .execute();
        }
        await logChange(trx, at, tenantId, 'domain', domainId, 'dkim-keys-changed');
      });
    },
    async listByDomain(domainId) {
      const rows = await select()
        .where('domain_id', '=', domainId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map((r) => toKey(r));
    },
    async listInZone() {
      const rows = await select()
        .where('unpublished_at', 'is', null)
        .orderBy('domain_id')
        .orderBy('created_at')
        .execute();
      return rows.map((r) => toKey(r));
    },
    async listInZoneByDomain(domainId) {
      const rows = await select()
        .where('domain_id', '=', domainId)
        .where('unpublished_at', 'is', null)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => toKey(r));
    },
    async listInZoneByDomains(domainIds) {
      const out: DkimKey[] = [];
      // In chunks, within every driver's limit on bound parameters.
      for (let i = 0; i < domainIds.length; i += 500) {
        const rows = await select()
          .where('domain_id', 'in', domainIds.slice(i, i + 500))
          .where('unpublished_at', 'is', null)
          .orderBy('created_at')
          .execute();
        for (const r of rows) out.push(toKey(r));
      }
      return out;
    },
    async findById(domainId, keyId) {
      const row = await select().where('domain_id', '=', domainId).where('id', '=', keyId).executeTakeFirst();
      return row === undefined ? null : toKey(row);
    },
    async sealedKey(keyId) {
      const row = await db
        .selectFrom('dkim_keys')
        .select(sealedColumns)
        .where('id', '=', keyId)
        .executeTakeFirst();
      return row === undefined ? null : sealedRow(row);
    },
    async sealedKeysNotUnder(kekId) {
      const rows = await db
        .selectFrom('dkim_keys')
        .select(sealedColumns)
        .where('kek_id', '!=', kekId)
        .execute();
      return rows.map(sealedRow);
    },
    async rewrap(keyId, fromKekId, to) {
      const r = await db
        .updateTable('dkim_keys')
        .set({ kek_id: to.kekId, sealed_private_key: to.sealed })
        .where('id', '=', keyId)
        .where('kek_id', '=', fromKekId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async policyOverrides(domainId) {
      const row = await db
        .selectFrom('dkim_policies')
        .select('overrides')
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return row === undefined ? {} : (JSON.parse(row.overrides) as PolicyOverrides);
    },
    async allPolicyOverrides() {
      const rows = await db.selectFrom('dkim_policies').select(['domain_id', 'overrides']).execute();
      return new Map(rows.map((r) => [r.domain_id, JSON.parse(r.overrides) as PolicyOverrides]));
    },
    async policyOverridesOf(domainIds) {
      const out = new Map<string, PolicyOverrides>();
      // In chunks, within every driver's limit on bound parameters.
      for (let i = 0; i < domainIds.length; i += 500) {
        const rows = await db
          .selectFrom('dkim_policies')
          .select(['domain_id', 'overrides'])
          .where('domain_id', 'in', domainIds.slice(i, i + 500))
          .execute();
        for (const r of rows) out.set(r.domain_id, JSON.parse(r.overrides) as PolicyOverrides);
      }
      return out;
    },
    async setPolicyOverrides(domainId, tenantId, overrides, at) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('dkim_policies').where('domain_id', '=', domainId).execute();
        await trx
          .insertInto('dkim_policies')
          .values({ domain_id: domainId, overrides: JSON.stringify(overrides), updated_at: at })
          .execute();
        await logChange(trx, at, tenantId, 'domain', domainId, 'dkim-policy-changed');
      });
    },
    async lastNotices() {
      const rows = await db.selectFrom('dkim_notices').selectAll().execute();
      const out = new Map<string, Map<string, string>>();
      for (const r of rows) {
        let m = out.get(r.domain_id);
        if (m === undefined) out.set(r.domain_id, (m = new Map<string, string>()));
        m.set(r.notice_key, r.last_at);
      }
      return out;
    },
    async recordNotice(domainId, noticeKey, at) {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('dkim_notices')
          .where('domain_id', '=', domainId)
          .where('notice_key', '=', noticeKey)
          .execute();
        await trx
          .insertInto('dkim_notices')
          .values({ domain_id: domainId, notice_key: noticeKey, last_at: at })
          .execute();
      });
    },
    async latestChangeId() {
      const row = await db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return Number(row?.id ?? 0);
    },
    async changedDomainsSince(afterId) {
      const rows = await db
        .selectFrom('changes')
        .select(['id', 'subject_id'])
        .where('id', '>', afterId)
        .where('subject', '=', 'domain')
        .orderBy('id')
        .execute();
      const latest = rows.length > 0 ? Number(rows[rows.length - 1]!.id) : afterId;
      return { latest, domainIds: [...new Set(rows.map((r) => r.subject_id))] };
    },
  };
}
