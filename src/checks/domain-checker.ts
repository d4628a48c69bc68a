import { presentValue, type PlannedRecord, type PlatformNames, type RecordPlan } from '../domains/index.ts';
import type { DnsResolver, DnsServerAddress } from '../resolver/index.ts';
import { AuthoritativeView } from './authoritative-view.ts';
import type { CheckContext, PathResult } from './context.ts';
import type { DelegationCache } from './delegation-cache.ts';
import type { DomainCheck, RecordCheck, Remark } from './model.ts';
import { checkRecord, recordKey } from './record-checks.ts';
import { RecursiveView } from './recursive-view.ts';
import { gradeOf, remark, worstGrade } from './remarks.ts';
import { zoneRemarks } from './zone-remarks.ts';

export interface DomainCheckerDeps {
  readonly resolver: DnsResolver;
  readonly roots: readonly DnsServerAddress[];
  /** Port of the servers found by following delegations (53 outside tests). */
  readonly nameserverPort: number;
  readonly recursiveResolvers: readonly DnsServerAddress[];
  readonly delegations: DelegationCache;
  readonly platform: PlatformNames;
  readonly egressIps: readonly string[];
  readonly organizationalDomain: (name: string) => string;
  readonly now: () => Date;
}

/**
 * Checks every record the customer should have, through the domain's authoritative servers and through each
 * recursive resolver, and grades each record. Pure over the injected resolver: no sockets of its own.
 */
export async function checkDomain(plan: RecordPlan, deps: DomainCheckerDeps): Promise<DomainCheck> {
  const started = performance.now();
  const before = queriesOf(deps.resolver);
  const auth = new AuthoritativeView({
    resolver: deps.resolver,
    roots: deps.roots,
    port: deps.nameserverPort,
    delegations: deps.delegations,
  });
  const resolvers = deps.recursiveResolvers.map((s) => new RecursiveView(deps.resolver, s));
  // The apex's TXT lookup both finds the zone the customer edits and serves the SPF check later (memoised).
  await auth.lookup(plan.domain, 'TXT');
  // The zone that really holds the domain (its SOA), never the root or a parent that merely answered.
  const apex = auth.zoneOf(plan.domain) || null;
  const ctx: CheckContext = {
    plan,
    platform: deps.platform,
    egressIps: deps.egressIps,
    apex: apex ?? deps.organizationalDomain(plan.domain),
    organizationalDomain: deps.organizationalDomain,
  };
  const results = await Promise.all(
    plan.customer.map(async (record) => ({
      record,
      auth: await checkRecord(auth, record, ctx),
      recursive: await Promise.all(
        resolvers.map(async (v) => ({ view: v.label, result: await checkRecord(v, record, ctx) })),
      ),
    })),
  );
  const records = results.map((r) => combine(r.record, plan.domain, r.auth, r.recursive));
  const adjusted = noteRefusedUnderscores(records, plan);
  const evidence = results.find((r) => r.auth.evidence !== null)?.auth.evidence ?? null;
  const nameservers = apex === null ? [] : await auth.nameservers(apex);
  return {
    domain: plan.domain,
    mode: plan.mode,
    checkedAt: deps.now().toISOString(),
    grade: worstGrade(adjusted.map((r) => r.grade)),
    verification: { verified: evidence !== null, evidence },
    zone: { apex, nameservers, remarks: zoneRemarks(apex, nameservers) },
    records: adjusted,
    stats: { queries: queriesOf(deps.resolver) - before, ms: Math.round(performance.now() - started) },
  };
}

function queriesOf(resolver: DnsResolver): number {
  return 'queriesSent' in resolver && typeof resolver.queriesSent === 'number' ? resolver.queriesSent : 0;
}

/**
 * The authoritative servers decide the grade; a resolver that sees something else adds a remark (with the TTL
 * it still holds), because that is what receivers see until the cache expires.
 */
function combine(
  record: PlannedRecord,
  domain: string,
  auth: PathResult,
  recursive: ReadonlyArray<{ view: string; result: PathResult }>,
): RecordCheck {
  const remarks: Remark[] = [...auth.remarks];
  const authGrade = gradeOf(auth.remarks);
  for (const { view, result } of recursive) {
    const g = gradeOf(result.remarks);
    if (g === authGrade) continue;
    const ttl = Math.max(0, ...result.observed.map((o) => o.ttl ?? 0));
    const first = result.remarks.find((r) => r.severity === 'error' || r.severity === 'temperror');
    if (g === 'temperror' && authGrade !== 'temperror') {
      remarks.push(
        remark(
          'resolver-temperror',
          'warning',
          `${view} could not answer: ${first?.message ?? 'temporary error'}`,
        ),
      );
    } else if (g === 'error' && (authGrade === 'perfect' || authGrade === 'ok')) {
      remarks.push(
        remark(
          'resolver-stale',
          'warning',
          `Your nameservers have it right, but ${view} still serves the old answer (${first?.code ?? 'different'}) for up to ${ttl} s more (the TTL left). Receivers using it see the old answer until then.`,
        ),
      );
    } else if (authGrade === 'error' && (g === 'perfect' || g === 'ok')) {
      remarks.push(
        remark(
          'resolver-stale',
          'note',
          `${view} still has an older, working answer cached for up to ${ttl} s; after that receivers see the problem too.`,
        ),
      );
    }
  }
  return {
    key: recordKey(record, domain),
    name: record.name,
    type: record.data.type,
    purpose: record.purpose,
    required: record.required,
    expected: presentValue(record.data),
    grade: gradeOf(remarks),
    remarks: dedupe(remarks),
    observed: [...auth.observed, ...recursive.flatMap((r) => r.result.observed)],
  };
}

function dedupe(remarks: readonly Remark[]): Remark[] {
  const seen = new Set<string>();
  return remarks.filter((r) => {
    const k = `${r.code}|${r.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Every CNAME with an underscore is missing while the others are in place: the classic DNS host that refuses
 * underscores in CNAME names. Self-hosted mode needs none.
 */
function noteRefusedUnderscores(records: RecordCheck[], plan: RecordPlan): RecordCheck[] {
  if (plan.mode !== 'delegated') return records;
  const cnames = records.filter((r) => r.type === 'CNAME');
  const underscored = cnames.filter((r) => r.name.includes('_'));
  const others = cnames.filter((r) => !r.name.includes('_'));
  const missing = (r: RecordCheck) =>
    r.remarks.some((m) => m.code === 'missing') && !r.remarks.some((m) => m.code === 'underscore-stripped');
  if (
    underscored.length === 0 ||
    !underscored.every(missing) ||
    !others.some((r) => r.grade === 'perfect' || r.grade === 'ok')
  )
    return records;
  const hint = remark(
    'underscores-refused',
    'error',
    'Your other CNAMEs are in place but none whose name has an underscore (_dmarc, _domainkey). Some DNS hosts refuse underscores in CNAME names. If yours does, switch this domain to self-hosted mode (senderd domain set <domain> --mode self-hosted), which needs no such CNAMEs, or move to a DNS host that allows them.',
  );
  return records.map((r) => (underscored.includes(r) ? { ...r, remarks: [...r.remarks, hint] } : r));
}
