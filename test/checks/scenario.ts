/** Builds record plans and the zones that hold them (right, or with deliberate mistakes) for check tests. */
import { generateKeyPairSync } from 'node:crypto';
import {
  planRecords,
  initialDmarcRecord,
  splitTxtStrings,
  quoteTxtString,
  zoneFileValue,
  type PlatformNames,
  type RecordPlan,
  type SenderDomainSettings,
} from '../../src/domains/index.ts';
import type { DomainName } from '../../src/domain-name/index.ts';
import { checkDomain, DelegationCache, type DomainCheck } from '../../src/checks/index.ts';
import { systemClock } from '../../src/core/index.ts';
import type { DnsResolver } from '../../src/resolver/index.ts';
import { corpusPublicSuffixes } from '../support/node.ts';
import type { DnsTree, ServerId, ZoneSpec } from './dns-tree.ts';

export const PLATFORM: PlatformNames = {
  zone: 'mail.example.net' as DomainName,
  dkimSelectors: ['sd1', 'sd2', 'sd3'],
  mxHost: 'mx.mail.example.net',
  trackHost: 'track.mail.example.net',
  reportsHost: 'reports.mail.example.net',
  ttl: 300,
};
export const EGRESS = ['192.0.2.10', '2001:db8::10'];

export function dkimRecord(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
}

/** A 12-character base32 token derived from the domain (tests only: real tokens are random). */
export function tokenFor(domain: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let h = 2166136261;
  let out = '';
  for (let i = 0; out.length < 12; i++) {
    h = Math.imul(h ^ domain.charCodeAt(i % domain.length) ^ i, 16777619) >>> 0;
    out += alphabet[h & 31];
  }
  return out;
}

export function planFor(domain: string, mode: 'delegated' | 'self-hosted', key: string | null): RecordPlan {
  const settings: SenderDomainSettings = {
    mode,
    bounceLabel: 'bounce',
    clickLabel: 'clicks',
    tracking: true,
    spfMechanisms: [],
    ownDkimSelectors: [],
    dkimSelectors: [],
  };
  const token = tokenFor(domain);
  return planRecords({
    domain: domain as DomainName,
    token,
    settings,
    platform: PLATFORM,
    dkimKeys: key === null ? [] : [{ selector: 'sd1', record: key }],
    dmarcRecord: initialDmarcRecord(token, PLATFORM.reportsHost),
  });
}

/** One zone-file line: owner relative to the origin (or absolute with a dot), type, value. */
export interface Line {
  name: string;
  type: string;
  value: string;
}

/** The customer's records of a plan as zone lines relative to `origin`. */
export function customerLines(plan: RecordPlan, origin: string): Line[] {
  return plan.customer.map((r) => ({
    name: r.name === origin ? '@' : r.name.slice(0, -(origin.length + 1)),
    type: r.data.type,
    value: zoneFileValue(r.data),
  }));
}

export function txt(text: string): string {
  return splitTxtStrings(text).map(quoteTxtString).join(' ');
}

export function body(lines: readonly Line[]): string {
  return lines.map((l) => `${l.name} 300 IN ${l.type} ${l.value}`).join('\n');
}

/** The platform zone as senderd's DNS would serve it for these plans. */
export function platformZone(plans: readonly RecordPlan[], servers: readonly ServerId[] = ['ns1']): ZoneSpec {
  const z = PLATFORM.zone;
  const lines: Line[] = [
    { name: 'spf', type: 'TXT', value: txt(`v=spf1 ip4:${EGRESS[0]} ip6:${EGRESS[1]} -all`) },
    { name: 'mx', type: 'A', value: '192.0.2.25' },
    { name: 'track', type: 'A', value: '192.0.2.80' },
  ];
  for (const plan of plans) {
    for (const r of plan.hosted)
      lines.push({ name: r.name.slice(0, -(z.length + 1)), type: r.data.type, value: zoneFileValue(r.data) });
  }
  return { origin: z, body: body(lines), servers };
}

/** Checks a plan against a test tree: the walk from its fake root, and its Unbound when it runs one. */
export function checkInTree(plan: RecordPlan, tree: DnsTree, resolver: DnsResolver): Promise<DomainCheck> {
  const psl = corpusPublicSuffixes();
  return checkDomain(plan, {
    resolver,
    roots: [tree.root],
    nameserverPort: tree.port,
    recursiveResolvers: tree.unbound ? [tree.unbound] : [],
    delegations: new DelegationCache(systemClock),
    platform: PLATFORM,
    egressIps: EGRESS,
    organizationalDomain: (n) => psl.registrableDomain(n) ?? n,
    now: () => new Date(),
  });
}
