import { relativeName, type PlannedRecord } from '../domains/index.ts';
import type { RecordType } from '../resolver/index.ts';
import { observe, troubleRemark, type CheckContext, type PathResult } from './context.ts';
import type { DnsView, Lookup, Observation, Remark } from './model.ts';
import { remark } from './remarks.ts';

interface Candidate {
  readonly name: string;
  readonly code: string;
  readonly message: (found: string) => string;
}

/**
 * The classic places a missing record turns up instead (only asked when the planned name has nothing):
 * the domain typed twice because the form appends it, an underscore the DNS host stripped, a DKIM selector
 * without `_domainkey`, or a record for a subdomain sender put under the parent zone.
 */
function candidates(record: PlannedRecord, ctx: CheckContext): Candidate[] {
  const domain = ctx.plan.domain;
  const name = record.name;
  const out: Candidate[] = [];
  // Relative to the zone that really holds the name (found by its SOA), which is what the host's form appends.
  const relative = relativeName(name, ctx.apex);
  out.push({
    name: `${name}.${ctx.apex}`,
    code: 'domain-doubled',
    message: (found) =>
      `The record is at ${found}: your domain is in it twice. The DNS host's form adds ${ctx.apex} itself, so enter only "${relative}" as the name.`,
  });
  if (domain !== ctx.apex) {
    out.push({
      name: `${name}.${domain}`,
      code: 'domain-doubled',
      message: (found) =>
        `The record is at ${found}: the domain is in it twice. Enter only "${relative}" as the name.`,
    });
  }
  const stripped = name.replace(/(^|\.)_/g, '$1');
  if (stripped !== name) {
    out.push({
      name: stripped,
      code: 'underscore-stripped',
      message: (found) =>
        `The record is at ${found}, without the underscore: your DNS host removed it. If it cannot create names with "_", switch this domain to self-hosted mode or use another DNS host.`,
    });
  }
  const dkim = /^([^.]+)\._domainkey\.(.+)$/.exec(name);
  if (dkim !== null) {
    out.push({
      name: `${dkim[1]}.${dkim[2]}`,
      code: 'wrong-name',
      message: (found) =>
        `The record is at ${found}, without "._domainkey". Receivers look for it at ${name}.`,
    });
  }
  if (domain !== ctx.apex && name.endsWith(`.${domain}`) && record.purpose !== 'dmarc') {
    const atApex = `${name.slice(0, -domain.length)}${ctx.apex}`;
    out.push({
      name: atApex,
      code: 'wrong-name',
      message: (found) =>
        `The record is at ${found}, under ${ctx.apex}; for mail from ${domain} it belongs at ${name}.`,
    });
  }
  return out.filter((c) => c.name.length <= 253);
}

export async function probeWrongNames(
  view: DnsView,
  record: PlannedRecord,
  type: RecordType,
  ctx: CheckContext,
): Promise<{ remarks: Remark[]; observed: Observation[] }> {
  const remarks: Remark[] = [];
  const observed: Observation[] = [];
  const found = await Promise.all(
    candidates(record, ctx).map(async (c) => ({ c, lookup: await view.lookup(c.name, type) })),
  );
  for (const { c, lookup } of found) {
    if (lookup.status !== 'found' && lookup.chain.length === 0) continue;
    remarks.push(remark(c.code, 'error', c.message(c.name)));
    observed.push(...observe(lookup, view.path));
  }
  return { remarks, observed };
}

/**
 * Looks up a planned literal record (TXT or MX) and settles the cases every such check shares: a DNS trouble
 * (temperror, lame, ...) or nothing there (then the wrong-name probes, and `missing` with `missingMessage`).
 * Returns the lookup when there is something to judge, or null when the result is already complete.
 */
export async function lookupPlanned(
  view: DnsView,
  record: PlannedRecord,
  type: RecordType,
  ctx: CheckContext,
  result: PathResult,
  missingMessage: string,
): Promise<Lookup | null> {
  const lookup = await view.lookup(record.name, type);
  result.observed.push(...observe(lookup, view.path));
  const trouble = troubleRemark(lookup);
  if (trouble !== null) {
    result.remarks.push(trouble);
    return null;
  }
  if (lookup.status === 'found' && lookup.records.length > 0) return lookup;
  const probes = await probeWrongNames(view, record, type, ctx);
  result.observed.push(...probes.observed);
  result.remarks.push(...probes.remarks, remark('missing', 'error', missingMessage));
  return null;
}
