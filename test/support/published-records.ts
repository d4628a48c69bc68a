/**
 * The DNS as receivers would see it for the gateway tests: each sender domain's record plan (what the customer
 * creates at their DNS host, and what senderd hosts in the platform zone), the test keys' DKIM TXT records, the
 * platform's own records, and the sink's MX. Served in-process to mailauth (its `resolver` option), to dkimpy
 * (a JSON file its `dnsfunc` reads) and to the gateway's MX lookups.
 *
 * After the merge with the DNS server (issue 3), `publishedDns()` is the one function to change: serve the same
 * names from senderd's own DNS server and hand out resolvers that query it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config/index.ts';
import type { RecordData, SenderDomain } from '../../src/domains/index.ts';
import type { DnsOutcome, MailResolver } from '../../src/gateway/index.ts';
import type { Services } from '../../src/main.ts';

export interface PublishedKey {
  readonly domain: SenderDomain;
  readonly selector: string;
  /** `v=DKIM1; k=rsa; p=...` */
  readonly record: string;
}

/** A name's records by type; a CNAME stands alone at its name (RFC 1034 §3.6.2). */
export class RecordTable {
  readonly #records = new Map<string, RecordData[]>();

  add(name: string, data: RecordData): void {
    const key = name.toLowerCase().replace(/\.$/, '');
    this.#records.set(key, [...(this.#records.get(key) ?? []), data]);
  }

  /** The records of `type` at `name`, following CNAMEs (at most 8). */
  lookup(
    name: string,
    type: RecordData['type'],
  ): { kind: 'answer'; records: RecordData[] } | { kind: 'nodata' | 'nxdomain' } {
    let here = name.toLowerCase().replace(/\.$/, '');
    for (let hop = 0; hop < 8; hop++) {
      const records = this.#records.get(here);
      if (records === undefined) return { kind: 'nxdomain' };
      const cname = records.find((r) => r.type === 'CNAME');
      if (cname !== undefined && type !== 'CNAME' && cname.type === 'CNAME') {
        here = cname.target.toLowerCase().replace(/\.$/, '');
        continue;
      }
      const matching = records.filter((r) => r.type === type);
      return matching.length > 0 ? { kind: 'answer', records: matching } : { kind: 'nodata' };
    }
    return { kind: 'nxdomain' };
  }

  /** Every TXT value reachable from each name, for dkimpy: { "name.": "text" }. */
  txtMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.#records.keys()) {
      const found = this.lookup(name, 'TXT');
      if (found.kind === 'answer') {
        const first = found.records[0];
        if (first?.type === 'TXT') out[`${name}.`] = first.text;
      }
    }
    return out;
  }
}

export interface PublishedDns {
  readonly table: RecordTable;
  /** For mailauth's `resolver` option. */
  readonly mailauth: (name: string, rrtype: string) => Promise<string[][] | string[]>;
  /** For the gateway's direct delivery. */
  readonly gateway: MailResolver;
  /** For dkimpy: a file mapping names to TXT values (see test/support/dkimpy.ts). */
  readonly dkimpyRecordsFile: string;
}

/**
 * Builds the published records for the given domains and keys, plus the platform's (spf.<zone> with the egress
 * addresses, bounce.<zone>, mx.<zone>) and an MX for each recipient domain pointing at 127.0.0.1.
 */
export async function publishedDns(options: {
  services: Services;
  config: Config;
  domains: readonly SenderDomain[];
  keys: readonly PublishedKey[];
  recipientDomains: readonly string[];
  dir: string;
}): Promise<PublishedDns> {
  const table = new RecordTable();
  const zone = options.config.platform.zone;
  for (const domain of options.domains) {
    const plan = await options.services.domains.planFor(domain);
    for (const r of [...plan.customer, ...plan.hosted]) table.add(r.name, r.data);
  }
  for (const key of options.keys) {
    table.add(`${key.selector}.${key.domain.token}.dkim.${zone}`, { type: 'TXT', text: key.record });
  }
  const egress = options.config.platform.egressIps.map((ip) =>
    ip.includes(':') ? `ip6:${ip}` : `ip4:${ip}`,
  );
  table.add(`spf.${zone}`, { type: 'TXT', text: `v=spf1 ${egress.join(' ')} -all` });
  const mx = `${options.config.platform.mxLabel}.${zone}`;
  table.add(mx, { type: 'A', address: '127.0.0.1' });
  const bounce = `${options.config.platform.bounceLabel}.${zone}`;
  table.add(bounce, { type: 'MX', preference: 10, exchange: mx });
  table.add(bounce, { type: 'TXT', text: `v=spf1 include:spf.${zone} -all` });
  for (const domain of options.recipientDomains) {
    table.add(domain, { type: 'MX', preference: 10, exchange: `mx.${domain}` });
    table.add(`mx.${domain}`, { type: 'A', address: '127.0.0.1' });
  }
  const dkimpyRecordsFile = join(options.dir, 'published-txt.json');
  writeFileSync(dkimpyRecordsFile, JSON.stringify(table.txtMap()));
  return { table, mailauth: mailauthResolver(table), gateway: mailResolver(table), dkimpyRecordsFile };
}

function dnsError(code: 'ENOTFOUND' | 'ENODATA', name: string): Error {
  return Object.assign(new Error(`${code} ${name}`), { code });
}

function mailauthResolver(table: RecordTable) {
  return (name: string, rrtype: string): Promise<string[][] | string[]> => {
    const type = rrtype.toUpperCase() as RecordData['type'];
    const found = table.lookup(name, type);
    if (found.kind !== 'answer')
      return Promise.reject(dnsError(found.kind === 'nxdomain' ? 'ENOTFOUND' : 'ENODATA', name));
    const out = found.records.map((r) => {
      switch (r.type) {
        case 'TXT':
          return [r.text];
        case 'MX':
          return { exchange: r.exchange, priority: r.preference };
        case 'A':
        case 'AAAA':
          return r.address;
        case 'CNAME':
          return r.target;
      }
    });
    return Promise.resolve(out as string[][] | string[]);
  };
}

function mailResolver(table: RecordTable): MailResolver {
  const outcome = <T>(name: string, type: RecordData['type'], map: (r: RecordData) => T): DnsOutcome<T> => {
    const found = table.lookup(name, type);
    if (found.kind !== 'answer') return { kind: found.kind };
    const records: T[] = found.records.map(map);
    return { kind: 'answer', records };
  };
  return {
    resolveMx: (domain) =>
      Promise.resolve(
        outcome(domain, 'MX', (r) =>
          r.type === 'MX'
            ? { exchange: r.exchange, preference: r.preference }
            : { exchange: '', preference: 0 },
        ),
      ),
    resolveAddresses: (host) => Promise.resolve(outcome(host, 'A', (r) => (r.type === 'A' ? r.address : ''))),
  };
}
