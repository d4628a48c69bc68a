/**
 * Test support: the dns component on 127.0.0.1, port 0, over a real store in a temporary directory. The DKIM
 * keys and BIMI records that other capabilities will supply are given here, so every hosted record kind can
 * be served and checked; the rest of the plan comes from the real domain service.
 */
import { cryptoRandom, quietLogger, systemClock, type Logger } from '../../src/core/index.ts';
import { startDns, type RunningDns } from '../../src/dns/index.ts';
import {
  initialDmarcRecord,
  planRecords,
  type PublishedDkimKey,
  type SenderDomain,
} from '../../src/domains/index.ts';
import {
  dnsSettings,
  openServices,
  servedZoneSettings,
  zoneSource,
  type Runtime,
  type Services,
} from '../../src/main.ts';
import { CORPUS, corpusPublicSuffixes, tempDir, testConfig, type TestDir } from './node.ts';
import { run } from './tools.ts';

export interface DnsTestNode {
  readonly services: Services;
  readonly dns: RunningDns;
  readonly port: number;
  readonly dir: TestDir;
  /** DKIM keys published per domain name (what the dkim capability will return), settable by the test. */
  readonly keys: Map<string, PublishedDkimKey[]>;
  /** BIMI records per domain name. */
  readonly bimi: Map<string, string>;
  close(): Promise<void>;
}

export async function startDnsTestNode(
  options: {
    set?: readonly string[];
    dir?: TestDir;
    log?: Logger;
    /** Plan every domain as the server does, from the dkim and dmarc capabilities (not the test's maps). */
    realPlans?: boolean;
    runtime?: Runtime;
  } = {},
): Promise<DnsTestNode> {
  const dir = options.dir ?? tempDir('senderd-dns-');
  const config = testConfig(dir.path, options.set ?? []);
  const services = await openServices(config, { publicSuffixes: corpusPublicSuffixes(), ...options.runtime });
  const keys = new Map<string, PublishedDkimKey[]>();
  const bimi = new Map<string, string>();
  const source =
    options.realPlans === true
      ? zoneSource(services)
      : {
          ...zoneSource(services),
          hostedRecords: (domain: SenderDomain) => {
            const bimiRecord = bimi.get(domain.name);
            return Promise.resolve(
              planRecords({
                domain: domain.name,
                token: domain.token,
                settings: domain.settings,
                platform: services.platform,
                dkimKeys: keys.get(domain.name) ?? [],
                dmarcRecord: initialDmarcRecord(domain.token, services.platform.reportsHost),
                ...(bimiRecord !== undefined ? { bimiRecord } : {}),
              }).hosted,
            );
          },
        };
  const dns = await startDns({
    // As a node serves it: with the Domain Connect public key (services.ts).
    settings: { ...dnsSettings(config), zone: await servedZoneSettings(services) },
    source,
    repo: services.store.dns,
    clock: systemClock,
    random: cryptoRandom,
    log: options.log ?? quietLogger(),
  });
  return {
    services,
    dns,
    port: dns.port,
    dir,
    keys,
    bimi,
    async close() {
      await dns.stop();
      await services.close();
      if (options.dir === undefined) dir.remove();
    },
  };
}

/**
 * `senderd zone export [--output <file>]` in its own process (bin/senderd, as an operator runs it) over the
 * store in `dir`, with the same zone as the test nodes and `set` for more config keys.
 */
export function exportZone(dir: string, output: string | null, set: readonly string[] = []) {
  const flags = [
    `dataDir=${dir}`,
    'platform.zone=mail.example.net',
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
    ...set,
  ].flatMap((f) => ['--set', f]);
  const to = output === null ? [] : ['--output', output];
  return run(SENDERD, [...flags, 'zone', 'export', ...to], { timeoutMs: 120_000 });
}

const SENDERD = new URL('../../bin/senderd', import.meta.url).pathname;
