import { sql, type Kysely } from 'kysely';
import type { Grade } from '../checks/index.ts';
import type { DomainStatusRow, OverviewRepository } from '../overview/index.ts';
import type { Database } from './database.ts';

const GRADES: readonly Grade[] = ['perfect', 'ok', 'error', 'temperror'];

/** A LIKE pattern that matches `text` literally anywhere (`\` escapes % and _). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The dashboard's list queries. A page of domains costs five indexed queries whatever the tenant's size: the page
 * itself, then the checks, record states, DMARC policies and active keys of just those domains.
 */
export function overviewRepository(db: Kysely<Database>): OverviewRepository {
  return {
    async domainStatuses(tenantId, query) {
      let base = db.selectFrom('domains').where('tenant_id', '=', tenantId);
      if (query.search !== '') {
        // ESCAPE is explicit: SQLite has no default escape character for LIKE (PostgreSQL's is the backslash).
        base = base.where(sql<boolean>`name like ${containsPattern(query.search)} escape '\\'`);
      }
      const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const page = await base
        .select(['id', 'name', 'created_at', 'verified_at', 'mode'])
        .orderBy('name')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      const ids = page.map((d) => d.id);
      if (ids.length === 0) return { total: Number(count?.n ?? 0), rows: [] };
      const [checks, states, policies, keys] = await Promise.all([
        db
          .selectFrom('check_results')
          .select(['domain_id', 'grade', 'checked_at'])
          .where('domain_id', 'in', ids)
          .execute(),
        db
          .selectFrom('check_record_states')
          .select(['domain_id', 'status', (eb) => eb.fn.countAll().as('n')])
          .where('domain_id', 'in', ids)
          .groupBy(['domain_id', 'status'])
          .execute(),
        db
          .selectFrom('dmarc_policies')
          .select(['domain_id', 'step', 'autopilot'])
          .where('domain_id', 'in', ids)
          .execute(),
        db
          .selectFrom('dkim_keys')
          .select(['domain_id', 'selector', 'algorithm', 'origin', 'created_at', 'activated_at'])
          .where('domain_id', 'in', ids)
          .where('state', '=', 'active')
          .orderBy('activated_at', 'desc')
          .execute(),
      ]);
      const checkBy = new Map(checks.map((c) => [c.domain_id, c]));
      const policyBy = new Map(policies.map((p) => [p.domain_id, p]));
      const keyBy = new Map<string, (typeof keys)[number]>();
      for (const k of keys) if (!keyBy.has(k.domain_id)) keyBy.set(k.domain_id, k);
      const countsBy = new Map<string, Record<Grade, number>>();
      for (const s of states) {
        const counts = countsBy.get(s.domain_id) ?? { perfect: 0, ok: 0, error: 0, temperror: 0 };
        if ((GRADES as readonly string[]).includes(s.status)) counts[s.status as Grade] += Number(s.n);
        countsBy.set(s.domain_id, counts);
      }
      const rows = page.map((d): DomainStatusRow => {
        const check = checkBy.get(d.id);
        const policy = policyBy.get(d.id);
        const key = keyBy.get(d.id);
        return {
          name: d.name,
          createdAt: d.created_at,
          verifiedAt: d.verified_at,
          mode: d.mode,
          check: check === undefined ? null : { grade: check.grade as Grade, checkedAt: check.checked_at },
          records: countsBy.get(d.id) ?? { perfect: 0, ok: 0, error: 0, temperror: 0 },
          dmarcStep: policy?.step ?? null,
          autopilot: policy === undefined ? false : autopilotEnabled(policy.autopilot),
          activeKey:
            key === undefined
              ? null
              : {
                  selector: key.selector,
                  algorithm: key.algorithm,
                  origin: key.origin,
                  createdAt: key.created_at,
                  activatedAt: key.activated_at,
                },
        };
      });
      return { total: Number(count?.n ?? 0), rows };
    },

    async domainEvents(tenantId, domainName, offset, limit) {
      const domain = await db
        .selectFrom('domains')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('name', '=', domainName)
        .executeTakeFirst();
      if (domain === undefined) return null;
      const base = db
        .selectFrom('events')
        .where('tenant_id', '=', tenantId)
        .where('domain_id', '=', domain.id);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
        base
          .select(['id', 'type', 'severity', 'at', 'message'])
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
      ]);
      return { total: Number(count?.n ?? 0), events: rows };
    },

    async tenantSummaries() {
      const [tenants, domains, users] = await Promise.all([
        db.selectFrom('tenants').selectAll().orderBy('name').execute(),
        db
          .selectFrom('domains')
          .select([
            'tenant_id',
            (eb) => eb.fn.countAll().as('n'),
            (eb) => eb.fn.count('verified_at').as('verified'),
          ])
          .groupBy('tenant_id')
          .execute(),
        db
          .selectFrom('users')
          .select(['tenant_id', (eb) => eb.fn.countAll().as('n')])
          .groupBy('tenant_id')
          .execute(),
      ]);
      const domainsBy = new Map(domains.map((d) => [d.tenant_id, d]));
      const usersBy = new Map(users.map((u) => [u.tenant_id, Number(u.n)]));
      return tenants.map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at,
        domains: Number(domainsBy.get(t.id)?.n ?? 0),
        verifiedDomains: Number(domainsBy.get(t.id)?.verified ?? 0),
        users: usersBy.get(t.id) ?? 0,
      }));
    },
  };
}

function autopilotEnabled(json: string): boolean {
  try {
    return (JSON.parse(json) as { enabled?: unknown }).enabled === true;
  } catch {
    return false;
  }
}
