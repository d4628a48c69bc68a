import type { Kysely } from 'kysely';
import type { EdgeRepository, RecordGrade, SealedEdgeKey } from '../edge/index.ts';
import type { Database } from './database.ts';

type AcmeMethods = Pick<
  EdgeRepository,
  | 'putChallenge'
  | 'challenge'
  | 'deleteChallenges'
  | 'account'
  | 'insertAccountIfAbsent'
  | 'recordOrder'
  | 'ordersSince'
  | 'recordGrades'
  | 'sealedKeysNotUnder'
  | 'rewrapKey'
>;

/** The edge's ACME records: challenges every node answers, accounts, the order log, sealed keys. */
export function edgeAcmeRepository(db: Kysely<Database>): AcmeMethods {
  return {
    async putChallenge(ch) {
      await db
        .insertInto('edge_challenges')
        .values({
          token: ch.token,
          hostname: ch.hostname,
          key_authorization: ch.keyAuthorization,
          created_at: ch.createdAt,
        })
        .onConflict((c) =>
          c.column('token').doUpdateSet({ hostname: ch.hostname, key_authorization: ch.keyAuthorization }),
        )
        .execute();
    },
    async challenge(token) {
      const r = await db
        .selectFrom('edge_challenges')
        .selectAll()
        .where('token', '=', token)
        .executeTakeFirst();
      return r === undefined
        ? null
        : {
            token: r.token,
            hostname: r.hostname,
            keyAuthorization: r.key_authorization,
            createdAt: r.created_at,
          };
    },
    async deleteChallenges(hostname) {
      await db.deleteFrom('edge_challenges').where('hostname', '=', hostname).execute();
    },
    async account(directoryUrl) {
      const r = await db
        .selectFrom('edge_acme_accounts')
        .selectAll()
        .where('directory_url', '=', directoryUrl)
        .executeTakeFirst();
      return r === undefined
        ? null
        : {
            directoryUrl: r.directory_url,
            accountUrl: r.account_url,
            key: { kekId: r.key_kek_id, sealed: r.key_sealed },
            createdAt: r.created_at,
          };
    },
    async insertAccountIfAbsent(a) {
      await db
        .insertInto('edge_acme_accounts')
        .values({
          directory_url: a.directoryUrl,
          account_url: a.accountUrl,
          key_kek_id: a.key.kekId,
          key_sealed: a.key.sealed,
          created_at: a.createdAt,
        })
        .onConflict((c) => c.column('directory_url').doNothing())
        .execute();
    },
    async recordOrder(hostname, url, at) {
      await db.insertInto('edge_orders').values({ hostname, order_url: url, created_at: at }).execute();
    },
    async ordersSince(at) {
      const r = await db
        .selectFrom('edge_orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_at', '>=', at)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async recordGrades(keys, domainIds) {
      const out = new Map<string, Map<string, RecordGrade>>();
      if (keys.length === 0 || domainIds?.length === 0) return out;
      let query = db
        .selectFrom('check_record_states')
        .select(['domain_id', 'record_key', 'status', 'error', 'checked_at'])
        .where('record_key', 'in', keys);
      if (domainIds !== undefined) query = query.where('domain_id', 'in', domainIds);
      const rows = await query.execute();
      for (const r of rows) {
        let byKey = out.get(r.domain_id);
        if (byKey === undefined) out.set(r.domain_id, (byKey = new Map<string, RecordGrade>()));
        byKey.set(r.record_key, {
          status: r.status as RecordGrade['status'],
          error: r.error,
          checkedAt: r.checked_at,
        });
      }
      return out;
    },
    async sealedKeysNotUnder(kekId) {
      const [accounts, certificates, orders] = await Promise.all([
        db
          .selectFrom('edge_acme_accounts')
          .select(['directory_url', 'key_kek_id', 'key_sealed'])
          .where('key_kek_id', '!=', kekId)
          .execute(),
        db
          .selectFrom('edge_certificates')
          .select(['id', 'hostname', 'key_kek_id', 'key_sealed'])
          .where('key_kek_id', '!=', kekId)
          .execute(),
        db
          .selectFrom('edge_hosts')
          .select(['hostname', 'order_key_kek_id', 'order_key_sealed'])
          .where('order_key_kek_id', 'is not', null)
          .where('order_key_kek_id', '!=', kekId)
          .execute(),
      ]);
      const keys: SealedEdgeKey[] = [
        ...accounts.map((r) => ({
          kind: 'account' as const,
          id: r.directory_url,
          owner: r.directory_url,
          secret: { kekId: r.key_kek_id, sealed: r.key_sealed },
        })),
        ...certificates.map((r) => ({
          kind: 'certificate' as const,
          id: r.id,
          owner: r.hostname,
          secret: { kekId: r.key_kek_id, sealed: r.key_sealed },
        })),
      ];
      for (const r of orders)
        if (r.order_key_kek_id !== null && r.order_key_sealed !== null)
          keys.push({
            kind: 'order',
            id: r.hostname,
            owner: r.hostname,
            secret: { kekId: r.order_key_kek_id, sealed: r.order_key_sealed },
          });
      return keys;
    },
    async rewrapKey(key, to) {
      const from = key.secret.kekId;
      const r =
        key.kind === 'account'
          ? await db
              .updateTable('edge_acme_accounts')
              .set({ key_kek_id: to.kekId, key_sealed: to.sealed })
              .where('directory_url', '=', key.id)
              .where('key_kek_id', '=', from)
              .executeTakeFirst()
          : key.kind === 'certificate'
            ? await db
                .updateTable('edge_certificates')
                .set({ key_kek_id: to.kekId, key_sealed: to.sealed })
                .where('id', '=', key.id)
                .where('key_kek_id', '=', from)
                .executeTakeFirst()
            : await db
                .updateTable('edge_hosts')
                .set({ order_key_kek_id: to.kekId, order_key_sealed: to.sealed })
                .where('hostname', '=', key.id)
                .where('order_key_kek_id', '=', from)
                .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
