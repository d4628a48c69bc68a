import { sameIp, parseIp } from '../ip/index.ts';
import { serverLabel, type ZoneServer } from './delegation-cache.ts';
import type { NameserverStatus } from './model.ts';
import { classify } from './server-reply.ts';
import {
  glueFor,
  hostAddresses,
  zoneServer,
  type ZoneFinderOptions,
  type ZoneFinding,
} from './zone-finder.ts';

/** A zone's nameservers as this check found them, each asked for the zone's SOA. */
export interface ZoneSurvey {
  readonly apex: string;
  /** Every address of every nameserver: those the parent names and those the zone's own NS records name. */
  readonly servers: readonly ZoneServer[];
  /** The servers that answered for the zone with authority: the ones asked about its names. */
  readonly answering: readonly ZoneServer[];
  readonly nameservers: readonly NameserverStatus[];
}

/**
 * Lists every nameserver of the zone at `finding.apex` and asks each, by every IPv4 address, for the zone's SOA
 * (RFC 1912 §2.8: every listed server must be authoritative). The zone's own NS RRset is authoritative (RFC 2181
 * §6.1); the parent's delegation is added, so a server named on either side is asked. A server that answers
 * without authority is lame; the serials show a secondary that has not caught up (RFC 1996).
 */
export async function surveyZone(
  finding: Extract<ZoneFinding, { ok: true }>,
  o: ZoneFinderOptions,
): Promise<ZoneSurvey> {
  const apex = finding.apex;
  const servers: ZoneServer[] = [];
  const add = (s: ZoneServer) => {
    const ip = parseIp(s.address.host);
    const dup = servers.some((t) => {
      const other = parseIp(t.address.host);
      return t.address.port === s.address.port && ip !== null && other !== null && sameIp(ip, other);
    });
    if (!dup) servers.push(s);
  };
  if (finding.delegation.zone === apex) finding.delegation.servers.forEach(add);
  const own = await o.resolver.query({
    name: apex,
    type: 'NS',
    server: finding.server.address,
    recursionDesired: false,
  });
  let ttl = Infinity;
  if (own.outcome === 'response') {
    for (const ns of own.answers) {
      if (ns.name !== apex || ns.data.type !== 'NS') continue;
      ttl = Math.min(ttl, ns.ttl);
      const host = ns.data.target;
      let addresses = glueFor(host, own.additional);
      // The parent's glue already gave this server's addresses: no need to walk for them again.
      if (addresses.length === 0)
        addresses = finding.delegation.servers.filter((s) => s.name === host).map((s) => s.address.host);
      if (addresses.length === 0) addresses = await hostAddresses(host, o, 1);
      for (const a of addresses) add(zoneServer(host, { host: a, port: o.port }));
    }
  }
  if (servers.length === 0) add(finding.server);
  o.delegations.set({ zone: apex, servers }, ttl === Infinity ? 0 : ttl);
  const asked = await Promise.all(
    servers.map(async (server) => {
      const response = await o.resolver.query({
        name: apex,
        type: 'SOA',
        server: server.address,
        recursionDesired: false,
      });
      const result = classify(response, apex, apex);
      let status: NameserverStatus['status'] =
        result.kind === 'referral' ? 'lame' : result.kind === 'answer' ? 'ok' : result.kind;
      let serial: number | null = null;
      if (result.kind === 'answer') {
        const soa = result.response.answers.find((r) => r.name === apex && r.data.type === 'SOA');
        if (soa?.data.type === 'SOA') serial = soa.data.serial;
        // An AA answer without the zone's SOA: the server serves a zone above or below this one, not this one.
        else status = 'lame';
      }
      return { server, status, serial };
    }),
  );
  return {
    apex,
    servers,
    answering: asked.filter((a) => a.status === 'ok').map((a) => a.server),
    nameservers: asked.map(({ server, status, serial }) => ({
      name: server.name,
      address: serverLabel('', server.address),
      status,
      serial,
    })),
  };
}
