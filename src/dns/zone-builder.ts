import { ipMechanisms, splitTxtStrings, type PlannedRecord } from '../domains/index.ts';
import { ipv4Bytes, ipv6Bytes, type Rdata, type ResourceRecord } from './resource-record.ts';

/**
 * The records of the platform zone that do not belong to a sender domain (SOA, NS, host addresses, the
 * platform SPF, the report host's MX), and the conversion of a domain's hosted plan into zone records.
 */

export interface SoaSettings {
  /** The primary name server (MNAME), absolute, no trailing dot. */
  readonly mname: string;
  /** The responsible mailbox as a name (RNAME, RFC 1035 §3.3.13: `hostmaster.example.net`). */
  readonly rname: string;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  /** The negative-caching TTL (RFC 2308 §4). */
  readonly minimum: number;
  readonly ttl: number;
}

export interface ZoneSettings {
  readonly apex: string;
  readonly ttl: number;
  /** Absolute names of the zone's name servers, no trailing dot. */
  readonly nameservers: readonly string[];
  /** Addresses of hosts inside the zone, by absolute owner name. */
  readonly hostAddresses: ReadonlyMap<string, readonly string[]>;
  /** CNAMEs inside the zone: absolute owner name → absolute target. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The platform's egress addresses or CIDR ranges, for `spf.<zone>`. */
  readonly egressIps: readonly string[];
  readonly mxHost: string;
  readonly reportsHost: string;
  /**
   * The gateway's return-path domain for mail of unverified or unmatched sender domains (`bounce.<zone>` by
   * default), when it lies in the zone: it needs an MX (bounces come back) and SPF (the envelope passes).
   */
  readonly bounceHost?: string;
  /**
   * TXT records of the platform's own, by absolute owner name, one record per text: the Domain Connect signing
   * key's public half at `_dcpubkeyv1.<zone>` (draft-ietf-dconn-domainconnect-03 §6.4).
   */
  readonly extraTexts?: ReadonlyMap<string, readonly string[]>;
  readonly soa: SoaSettings;
}

/** The SOA record at the apex for a serial. */
export function soaRecord(settings: ZoneSettings, serial: number): ResourceRecord {
  const { soa } = settings;
  return {
    name: settings.apex,
    ttl: soa.ttl,
    data: {
      type: 'SOA',
      mname: soa.mname,
      rname: soa.rname,
      serial,
      refresh: soa.refresh,
      retry: soa.retry,
      expire: soa.expire,
      minimum: soa.minimum,
    },
  };
}

/** Everything of the platform's own, except the SOA (which changes with the serial). */
export function platformRecords(settings: ZoneSettings): ResourceRecord[] {
  const { apex, ttl } = settings;
  const out: ResourceRecord[] = [];
  const add = (name: string, data: Rdata) => out.push({ name, ttl, data });
  for (const host of settings.nameservers) add(apex, { type: 'NS', host });
  for (const [name, addresses] of settings.hostAddresses) {
    for (const address of addresses) add(name, { type: address.includes(':') ? 'AAAA' : 'A', address });
  }
  for (const [name, target] of settings.aliases) add(name, { type: 'CNAME', target });
  // spf.<zone>: included by every bounce host's SPF and (unless flattened) every t.spf.<zone>.
  const spf = ['v=spf1', ...ipMechanisms(settings.egressIps), '-all'].join(' ');
  add(`spf.${apex}`, { type: 'TXT', strings: splitTxtStrings(spf) });
  // Reports are mailed to <token>@reports.<zone>: its MX is the platform's inbound host.
  add(settings.reportsHost, { type: 'MX', preference: 10, exchange: settings.mxHost });
  if (settings.bounceHost !== undefined) {
    add(settings.bounceHost, { type: 'MX', preference: 10, exchange: settings.mxHost });
    add(settings.bounceHost, { type: 'TXT', strings: [`v=spf1 include:spf.${apex} -all`] });
  }
  for (const [name, texts] of settings.extraTexts ?? []) {
    for (const text of texts) add(name, { type: 'TXT', strings: splitTxtStrings(text) });
  }
  return out;
}

/**
 * A domain's hosted plan as zone records: TXT split into 255-octet strings (RFC 1035 §3.3.14). Throws when a
 * record cannot go on the wire (a name over 255 octets or with a label over 63, a bad address), so that one
 * domain's bad record is caught with that domain rather than when the zone is compiled.
 */
export function hostedZoneRecords(planned: readonly PlannedRecord[]): ResourceRecord[] {
  return planned.map((r): ResourceRecord => {
    checkName(r.name);
    const d = r.data;
    let data: Rdata;
    switch (d.type) {
      case 'TXT':
        // Most texts fit one character-string; split only those that do not.
        data = {
          type: 'TXT',
          strings: Buffer.byteLength(d.text) <= 255 ? [d.text] : splitTxtStrings(d.text),
        };
        break;
      case 'MX':
        data = { type: 'MX', preference: d.preference, exchange: checkName(d.exchange) };
        break;
      case 'CNAME':
        data = { type: 'CNAME', target: checkName(d.target) };
        break;
      case 'A':
        ipv4Bytes(d.address);
        data = { type: 'A', address: d.address };
        break;
      case 'AAAA':
        ipv6Bytes(d.address);
        data = { type: 'AAAA', address: d.address };
        break;
    }
    return { name: r.name, ttl: r.ttl, data };
  });
}

/** Throws unless the dotted name fits the wire: labels of 1–63 octets, 255 octets in all (RFC 1035 §3.1). */
export function checkName(name: string): string {
  if (Buffer.byteLength(name) > 253) throw new Error(`name too long: ${name.slice(0, 60)}…`);
  let start = 0;
  while (start <= name.length) {
    const dot = name.indexOf('.', start);
    const end = dot < 0 ? name.length : dot;
    if (end === start || end - start > 63) throw new Error(`bad label in ${name}`);
    if (dot < 0) break;
    start = dot + 1;
  }
  return name;
}
