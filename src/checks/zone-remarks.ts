import type { Grade, NameserverStatus, Remark } from './model.ts';
import { remark } from './remarks.ts';

/**
 * What the zone's nameservers, taken together, say about the zone: servers that do not answer for it (lame,
 * silent, failing) and servers that serve different versions of it (SOA serials that differ).
 */
export function zoneRemarks(apex: string | null, servers: readonly NameserverStatus[]): Remark[] {
  if (apex === null) return [];
  const out: Remark[] = [];
  const bad = servers.filter((s) => s.status !== 'ok');
  if (bad.length > 0) {
    const list = bad.map((s) => `${s.name || s.address} (${s.address}): ${s.status}`).join(', ');
    const grade: Grade = bad.length === servers.length ? 'error' : 'ok';
    out.push(
      remark(
        bad.some((s) => s.status === 'lame') ? 'lame-server' : 'nameserver-trouble',
        grade === 'error' ? 'error' : 'warning',
        `Not every nameserver of ${apex} answers for it: ${list}. Resolvers that pick ${bad.length > 1 ? 'these' : 'this one'} get no answer or a wrong one; fix or remove ${bad.length > 1 ? 'them' : 'it'} in the NS records.`,
      ),
    );
  }
  const serials = new Set(servers.flatMap((s) => (s.serial === null ? [] : [s.serial])));
  if (serials.size > 1) {
    const list = servers
      .filter((s) => s.serial !== null)
      .map((s) => `${s.name} (${s.address}) ${s.serial}`)
      .join(', ');
    // RFC 1996 / RFC 1034 §4.3.5: a secondary copies the zone when the primary's serial is higher; different
    // serials for long mean a secondary that does not get the changes, and serves old records meanwhile.
    out.push(
      remark(
        'serials-differ',
        'warning',
        `The nameservers of ${apex} serve different versions of the zone (SOA serials ${list}). A secondary that has not caught up answers with old records: check that NOTIFY and zone transfers reach it. A change made a moment ago can show this until the transfer is done.`,
      ),
    );
  }
  return out;
}
