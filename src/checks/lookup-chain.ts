import type { RecordType, ResourceRecord } from '../resolver/index.ts';
import type { CnameLink, Lookup, LookupStatus } from './model.ts';

/** One server's answer for one name, before CNAMEs are followed. */
export interface ChainStep {
  readonly status: LookupStatus;
  readonly answers: readonly ResourceRecord[];
  readonly server: string;
  readonly detail?: string;
  readonly disagreements: readonly string[];
}

/** RFC 1034 §3.6.2 and RFC 1912 §2.4: a chain longer than this is treated as broken. */
const MAX_LINKS = 8;

/**
 * Follows CNAMEs from `name`: within each answer first, then (if `chase`) by asking again for the last target,
 * which may live in another zone on other servers. A loop or an overlong chain is a failure with a reason.
 */
export async function followChain(
  name: string,
  type: RecordType,
  answer: (name: string) => Promise<ChainStep>,
  chase = true,
): Promise<Lookup> {
  const chain: CnameLink[] = [];
  const seen = new Set([name]);
  const disagreements: string[] = [];
  let current = name;
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    const step = await answer(current);
    disagreements.push(...step.disagreements);
    const base = { name, type, chain, server: step.server, disagreements };
    if (step.status !== 'found' && step.status !== 'nxdomain' && step.status !== 'nodata')
      return {
        ...base,
        status: step.status,
        records: [],
        ...(step.detail === undefined ? {} : { detail: step.detail }),
      };
    let owner = current;
    for (;;) {
      const cname = step.answers.find((r) => r.name === owner && r.data.type === 'CNAME');
      if (cname === undefined || cname.data.type !== 'CNAME' || type === 'CNAME') break;
      const target = cname.data.target;
      chain.push({ owner, target, ttl: cname.ttl, server: step.server });
      if (seen.has(target) || chain.length > MAX_LINKS)
        return {
          ...base,
          status: 'loop',
          records: [],
          detail: `a CNAME loop or an overlong chain at ${target}`,
        };
      seen.add(target);
      owner = target;
    }
    const records = step.answers.filter((r) => r.name === owner && r.data.type === type);
    if (records.length > 0) return { ...base, status: 'found', records };
    if (owner !== current && chase) {
      current = owner;
      continue;
    }
    return { ...base, status: step.status === 'nxdomain' ? 'nxdomain' : 'nodata', records: [] };
  }
  return {
    name,
    type,
    chain,
    server: '',
    disagreements,
    status: 'failure',
    records: [],
    detail: 'the CNAME chain is too long',
  };
}
