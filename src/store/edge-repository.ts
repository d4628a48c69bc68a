import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  CertificateStatus,
  CertificateSummary,
  EdgeHost,
  EdgeRepository,
  HostUpdate,
  StoredCertificate,
} from '../edge/index.ts';
import type { Database } from './database.ts';
import { edgeAcmeRepository } from './edge-acme-repository.ts';
import type { EdgeCertificatesTable, EdgeHostsTable } from './edge-tables.ts';

/** The edge's hosts and certificates (and, from edge-acme-repository.ts, its ACME records). */
export function edgeRepository(db: Kysely<Database>): EdgeRepository {
  const hostsWithCertificate = () =>
    db
      .selectFrom('edge_hosts as h')
      .leftJoin('edge_certificates as c', 'c.id', 'h.certificate_id')
      .selectAll('h')
      .select(['c.serial', 'c.issuer', 'c.not_before', 'c.not_after', 'c.issued_at', 'c.fingerprint']);
  return {
    async hosts() {
      return (await hostsWithCertificate().orderBy('h.hostname').execute()).map(toHost);
    },
    async host(hostname) {
      const row = await hostsWithCertificate().where('h.hostname', '=', hostname).executeTakeFirst();
      return row === undefined ? null : toHost(row);
    },
    async hostsOfTenant(tenantId, domainId) {
      let q = hostsWithCertificate().where('h.tenant_id', '=', tenantId);
      if (domainId !== undefined) q = q.where('h.domain_id', '=', domainId);
      return (await q.orderBy('h.hostname').execute()).map(toHost);
    },
    async insertHost(h) {
      const r = await db
        .insertInto('edge_hosts')
        .values({
          hostname: h.hostname,
          role: h.role,
          domain_id: h.domainId,
          tenant_id: h.tenantId,
          status: 'pending',
          attempts: 0,
          revision: 1,
          created_at: h.at,
          updated_at: h.at,
        })
        .onConflict((c) => c.column('hostname').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async removeHost(hostname) {
      await db.transaction().execute(async (trx) => {
        // Explicitly, beside the cascade: challenges and certificates belong to the host.
        await trx.deleteFrom('edge_challenges').where('hostname', '=', hostname).execute();
        await trx
          .updateTable('edge_hosts')
          .set({ certificate_id: null })
          .where('hostname', '=', hostname)
          .execute();
        await trx.deleteFrom('edge_certificates').where('hostname', '=', hostname).execute();
        await trx.deleteFrom('edge_hosts').where('hostname', '=', hostname).execute();
      });
    },
    async updateHost(hostname, update, at) {
      await db
        .updateTable('edge_hosts')
        .set(updateColumns(update, at))
        .where('hostname', '=', hostname)
        .execute();
    },
    async claimHost(hostname, owner, until, now) {
      const r = await db
        .updateTable('edge_hosts')
        .set({ lease_owner: owner, lease_until: until })
        .where('hostname', '=', hostname)
        .where((eb) =>
          eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async releaseHost(hostname, owner) {
      await db
        .updateTable('edge_hosts')
        .set({ lease_owner: null, lease_until: null })
        .where('hostname', '=', hostname)
        .where('lease_owner', '=', owner)
        .execute();
    },
    async storeCertificate(cert, update, at) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('edge_certificates')
          .values({
            id: cert.id,
            hostname: cert.hostname,
            serial: cert.serial,
            issuer: cert.issuer,
            not_before: cert.notBefore,
            not_after: cert.notAfter,
            issued_at: cert.issuedAt,
            fingerprint: cert.fingerprint,
            chain_pem: cert.chainPem,
            key_kek_id: cert.key.kekId,
            key_sealed: cert.key.sealed,
          })
          .execute();
        await trx
          .updateTable('edge_hosts')
          .set({ ...updateColumns(update, at), certificate_id: cert.id })
          .where('hostname', '=', cert.hostname)
          .execute();
        // The one before stays (a node may still be serving it for a moment); older ones go with their keys.
        const keep = await trx
          .selectFrom('edge_certificates')
          .select('id')
          .where('hostname', '=', cert.hostname)
          .orderBy('issued_at', 'desc')
          .orderBy('id', 'desc')
          .limit(2)
          .execute();
        await trx
          .deleteFrom('edge_certificates')
          .where('hostname', '=', cert.hostname)
          .where(
            'id',
            'not in',
            keep.map((k) => k.id),
          )
          .execute();
      });
    },
    async currentCertificate(hostname) {
      const row = await db
        .selectFrom('edge_hosts as h')
        .innerJoin('edge_certificates as c', 'c.id', 'h.certificate_id')
        .selectAll('c')
        .where('h.hostname', '=', hostname)
        .executeTakeFirst();
      return row === undefined ? null : toStoredCertificate(row);
    },
    async servedHosts() {
      const rows = await db
        .selectFrom('edge_hosts as h')
        .innerJoin('domains as d', 'd.id', 'h.domain_id')
        .select(['h.hostname', 'h.role', 'h.domain_id', 'h.tenant_id', 'h.certificate_id', 'd.name'])
        .execute();
      return rows.map((r) => ({
        hostname: r.hostname,
        role: r.role,
        domainId: r.domain_id,
        tenantId: r.tenant_id,
        domain: r.name,
        certificateId: r.certificate_id,
      }));
    },
    async servedStamp() {
      const row = await db
        .selectFrom('edge_hosts')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('revision').as('revisions'),
          eb.fn.max('updated_at').as('latest'),
        ])
        .executeTakeFirst();
      return `${Number(row?.n ?? 0)}:${Number(row?.revisions ?? 0)}:${row?.latest ?? ''}`;
    },
    ...edgeAcmeRepository(db),
  };
}

function updateColumns(u: HostUpdate, at: string) {
  return {
    ...(u.status !== undefined ? { status: u.status } : {}),
    ...(u.order !== undefined
      ? {
          order_url: u.order?.url ?? null,
          order_started_at: u.order?.startedAt ?? null,
          order_key_kek_id: u.order?.key.kekId ?? null,
          order_key_sealed: u.order?.key.sealed ?? null,
        }
      : {}),
    ...(u.attempts !== undefined ? { attempts: u.attempts } : {}),
    ...(u.nextAttemptAt !== undefined ? { next_attempt_at: u.nextAttemptAt } : {}),
    ...(u.lastError !== undefined
      ? { last_error: u.lastError?.message ?? null, last_error_at: u.lastError?.at ?? null }
      : {}),
    revision: sql<number>`revision + 1`,
    updated_at: at,
  };
}

type HostRow = Selectable<EdgeHostsTable> & {
  serial: string | null;
  issuer: string | null;
  not_before: string | null;
  not_after: string | null;
  issued_at: string | null;
  fingerprint: string | null;
};

function toHost(r: HostRow): EdgeHost {
  const certificate: CertificateSummary | null =
    r.certificate_id === null || r.serial === null
      ? null
      : {
          id: r.certificate_id,
          serial: r.serial,
          issuer: r.issuer ?? '',
          notBefore: r.not_before ?? '',
          notAfter: r.not_after ?? '',
          issuedAt: r.issued_at ?? '',
          fingerprint: r.fingerprint ?? '',
        };
  return {
    hostname: r.hostname,
    role: r.role,
    domainId: r.domain_id,
    tenantId: r.tenant_id,
    status: r.status as CertificateStatus,
    order:
      r.order_url === null || r.order_key_kek_id === null || r.order_key_sealed === null
        ? null
        : {
            url: r.order_url,
            startedAt: r.order_started_at ?? '',
            key: { kekId: r.order_key_kek_id, sealed: r.order_key_sealed },
          },
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error === null ? null : { message: r.last_error, at: r.last_error_at ?? '' },
    certificate,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toStoredCertificate(r: Selectable<EdgeCertificatesTable>): StoredCertificate {
  return {
    id: r.id,
    hostname: r.hostname,
    serial: r.serial,
    issuer: r.issuer,
    notBefore: r.not_before,
    notAfter: r.not_after,
    issuedAt: r.issued_at,
    fingerprint: r.fingerprint,
    chainPem: r.chain_pem,
    key: { kekId: r.key_kek_id, sealed: r.key_sealed },
  };
}
