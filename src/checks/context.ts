import type { PlannedRecord, PlatformNames, RecordPlan } from '../domains/index.ts';
import { type Lookup, type Observation, type Remark } from './model.ts';
import { presentData } from './present.ts';

/** What every record check needs to know about the domain and the platform. */
export interface CheckContext {
  readonly plan: RecordPlan;
  readonly platform: PlatformNames;
  /** Addresses (or CIDR ranges) the platform sends from: each must pass SPF. */
  readonly egressIps: readonly string[];
  /** The zone the customer edits (from the delegation walk, else the registrable domain). */
  readonly apex: string;
  /** The organisational domain of a name (RFC 7489 §3.2), for the rua authorisation check. */
  readonly organizationalDomain: (name: string) => string;
}

/** What one record looks like through one view. */
export interface PathResult {
  readonly remarks: Remark[];
  readonly observed: Observation[];
  /** Proof of this tenant's token, if this record shows it. */
  evidence: string | null;
}

export function emptyResult(): PathResult {
  return { remarks: [], observed: [], evidence: null };
}

/** Observations for a lookup: each CNAME followed, then the records found (or the status). */
export function observe(lookup: Lookup, path: Observation['path']): Observation[] {
  const out: Observation[] = lookup.chain.map((link) => ({
    path,
    server: link.server,
    name: link.owner,
    type: 'CNAME',
    value: `${link.target}.`,
    ttl: link.ttl,
  }));
  const owner = lookup.chain.at(-1)?.target ?? lookup.name;
  if (lookup.records.length === 0) {
    out.push({ path, server: lookup.server, name: owner, type: lookup.type, value: null, ttl: null });
  }
  for (const r of lookup.records) {
    out.push({
      path,
      server: lookup.server,
      name: r.name,
      type: lookup.type,
      value: presentData(r.data),
      ttl: r.ttl,
    });
  }
  return out;
}

/** The hosted record(s) at a name in the platform zone, from the plan. */
export function hostedAt(plan: RecordPlan, name: string): PlannedRecord[] {
  return plan.hosted.filter((r) => r.name === name);
}

/** A lookup that did not give an answer either way: a timeout, SERVFAIL, a lame delegation, ... */
export function troubleRemark(lookup: Lookup): Remark | null {
  const where = `${lookup.name} (${lookup.server || 'no server'})`;
  const detail = lookup.detail ? ` ${lookup.detail}.` : '';
  switch (lookup.status) {
    case 'found':
    case 'nodata':
    case 'nxdomain':
      return null;
    case 'timeout':
      return {
        code: 'timeout',
        severity: 'temperror',
        message: `No answer in time for ${where}. This is a temporary error, not a missing record: receivers see the same and try again later.${detail}`,
      };
    case 'servfail':
      return {
        code: 'servfail',
        severity: 'temperror',
        message: `The server answered SERVFAIL for ${where}: it could not load or sign the zone, or could not reach the domain's servers.${detail}`,
      };
    case 'lame':
      return {
        code: 'lame-delegation',
        severity: 'error',
        message: `Lame delegation: the servers named for this zone do not answer for it authoritatively.${detail} Fix the NS records at your registrar or DNS host.`,
      };
    case 'refused':
      return {
        code: 'refused',
        severity: 'temperror',
        message: `The resolver refused the query for ${where}.${detail}`,
      };
    case 'loop':
      return {
        code: 'cname-loop',
        severity: 'error',
        message: `The CNAMEs starting at ${lookup.name} loop or run too long (RFC 1034 §3.6.2).${detail}`,
      };
    case 'failure':
      return {
        code: 'dns-failure',
        severity: 'temperror',
        message: `The lookup of ${where} failed.${detail}`,
      };
  }
}
