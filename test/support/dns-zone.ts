/** A small platform zone in memory, for the dns capability's unit tests. */
import type { ResourceRecord } from '../../src/dns/resource-record.ts';
import { Responder } from '../../src/dns/responder.ts';
import type { TransferAcl } from '../../src/dns/transfer-acl.ts';
import type { TsigKey } from '../../src/dns-wire/tsig-algorithm.ts';
import { platformRecords, soaRecord, type ZoneSettings } from '../../src/dns/zone-builder.ts';
import { Zone } from '../../src/dns/zone.ts';
import { transferMessages, type TransferSource } from '../../src/dns/zone-transfer.ts';

export const APEX = 'mail.example.net';

export function sampleSettings(overrides: Partial<ZoneSettings> = {}): ZoneSettings {
  return {
    apex: APEX,
    ttl: 3600,
    nameservers: [`ns1.${APEX}`, 'ns.other.example'],
    hostAddresses: new Map([
      [`ns1.${APEX}`, ['192.0.2.53', '2001:db8::53']],
      [`mx.${APEX}`, ['192.0.2.25']],
      [APEX, ['192.0.2.80']],
    ]),
    aliases: new Map([
      [`track.${APEX}`, 'cdn.example.org'],
      [`www.${APEX}`, APEX],
      [`gone.${APEX}`, `missing.${APEX}`],
      [`loop1.${APEX}`, `loop2.${APEX}`],
      [`loop2.${APEX}`, `loop1.${APEX}`],
    ]),
    egressIps: ['192.0.2.10', '2001:db8::/64'],
    mxHost: `mx.${APEX}`,
    reportsHost: `reports.${APEX}`,
    soa: {
      mname: `ns1.${APEX}`,
      rname: `hostmaster.${APEX}`,
      refresh: 3600,
      retry: 600,
      expire: 1209600,
      minimum: 300,
      ttl: 3600,
    },
    ...overrides,
  };
}

export const TOKEN = 'abcdefghijkl';
const KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + 'x'.repeat(330) + 'IDAQAB';

/** The hosted records of one sender domain, as the record plan would give them. */
export function domainRecords(token = TOKEN, domain = 'example.com'): ResourceRecord[] {
  const txt = (name: string, ...strings: string[]): ResourceRecord => ({
    name,
    ttl: 3600,
    data: { type: 'TXT', strings },
  });
  return [
    txt(
      `sd1.${token}.dkim.${APEX}`,
      `v=DKIM1; k=rsa; p=${KEY}`.slice(0, 255),
      `v=DKIM1; k=rsa; p=${KEY}`.slice(255),
    ),
    txt(`sd2.${token}.dkim.${APEX}`, 'v=DKIM1; k=rsa; p='),
    txt(`${token}.dmarc.${APEX}`, `v=DMARC1; p=none; rua=mailto:${token}@reports.${APEX}`),
    {
      name: `${token}.bounce.${APEX}`,
      ttl: 3600,
      data: { type: 'MX', preference: 10, exchange: `mx.${APEX}` },
    },
    txt(`${token}.bounce.${APEX}`, `v=spf1 include:spf.${APEX} -all`),
    txt(`${token}.spf.${APEX}`, `v=spf1 include:spf.${APEX} -all`),
    txt(`${domain}._report._dmarc.reports.${APEX}`, 'v=DMARC1'),
  ];
}

export interface SampleZone {
  readonly zone: Zone;
  readonly responder: Responder;
  readonly errors: unknown[];
}

/** The platform records, one sender domain, serial 7, compiled and ready to answer. */
export function sampleZone(
  options: {
    allowTransfer?: boolean | TransferAcl;
    ednsPayloadSize?: number;
    tsigKeys?: ReadonlyMap<string, TsigKey>;
    /** Seconds since the epoch, for TSIG. */
    now?: () => number;
    /** The journal's difference between two serials (IXFR); none by default. */
    difference?: TransferSource['difference'];
  } = {},
): SampleZone {
  const allow = options.allowTransfer ?? false;
  const settings = sampleSettings();
  const zone = new Zone(APEX);
  zone.replace('platform', platformRecords(settings));
  zone.setSoa(soaRecord(settings, 7));
  zone.replace('domain:1', domainRecords());
  const errors: unknown[] = [];
  const responder = new Responder({
    answers: zone.arena.reader,
    apexKey: zone.apexWire,
    ednsPayloadSize: options.ednsPayloadSize ?? 1232,
    allowTransfer: typeof allow === 'boolean' ? () => allow : allow,
    tsigKeys: options.tsigKeys ?? new Map(),
    now: options.now ?? (() => 1_700_000_000),
    transferMessages: (request, query) =>
      transferMessages(request, query, {
        zone,
        difference: options.difference ?? (() => Promise.resolve(null)),
      }),
    onError: (e) => errors.push(e),
  });
  return { zone, responder, errors };
}
