/**
 * The running parts of the reports capability, started by main.ts: the inbound SMTP listener, the IMAP pollers,
 * and the maintenance timers (reverse names of new sources, failure-report retention, reports a crash left
 * half-loaded). This is an edge file: it reads certificate and password files.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/index.ts';
import { ImapPoller } from './imap-poller.ts';
import type { ReportIngestService } from './ingest.ts';
import type { ReverseNameWorker } from './reverse-names.ts';
import { postmasterMaildir } from './postmaster-maildir.ts';
import { listenInboundSmtp, type BounceSink } from './smtp-intake.ts';

export interface ReportComponentDeps {
  readonly config: Config;
  readonly ingest: ReportIngestService;
  readonly reverseNames: ReverseNameWorker | null;
  readonly log: Logger;
  readonly mxHost: string;
  readonly reportsHost: string;
  /** The other domains this listener is the MX of, whose postmaster it accepts (RFC 5321 §4.5.1). */
  readonly postmasterDomains: readonly string[];
  readonly tenantIdByName: (name: string) => Promise<string>;
  readonly bounces?: BounceSink;
}

export interface ReportComponent {
  readonly name: string;
  readonly address: string;
  stop(): Promise<void>;
}

const HOUR = 3600_000;

export async function startReportComponents(deps: ReportComponentDeps): Promise<ReportComponent[]> {
  const { config, ingest, log } = deps;
  const components: ReportComponent[] = [];
  try {
    const inbound = config.inbound;
    if (inbound.enabled) {
      const tls =
        inbound.tlsKeyFile !== '' && inbound.tlsCertFile !== ''
          ? { key: readFileSync(inbound.tlsKeyFile), cert: readFileSync(inbound.tlsCertFile) }
          : undefined;
      const smtp = await listenInboundSmtp(
        {
          host: inbound.host,
          port: inbound.port,
          hostname: inbound.hostname === '' ? deps.mxHost : inbound.hostname,
          reportsHost: deps.reportsHost,
          maxMessageBytes: inbound.maxMessageBytes,
          maxRecipients: inbound.maxRecipients,
          maxConnections: inbound.maxConnections,
          socketTimeoutMs: inbound.socketTimeoutSeconds * 1000,
          ...(tls === undefined ? {} : { tls }),
          postmasterDomains: [deps.mxHost, ...deps.postmasterDomains],
        },
        {
          ingest,
          log,
          postmaster: postmasterMaildir(inbound.postmasterMaildir),
          ...(deps.bounces === undefined ? {} : { bounces: deps.bounces }),
        },
      );
      const host = smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host;
      components.push({ name: 'inbound', address: `smtp://${host}:${smtp.port}`, stop: () => smtp.close() });
    }
    for (const box of config.reports.imap) {
      const poller = new ImapPoller(
        {
          host: box.host,
          port: box.port,
          secure: box.secure,
          user: box.user,
          password: readFileSync(box.passwordFile, 'utf8').trim(),
          mailbox: box.mailbox,
          tenantId:
            box.tenant === undefined
              ? null
              : (
                  (name) => () =>
                    deps.tenantIdByName(name)
                )(box.tenant),
          afterImport: box.afterImport,
          moveTo: box.moveTo,
          intervalMs: box.intervalSeconds * 1000,
          maxMessageBytes: inbound.maxMessageBytes,
        },
        { ingest, log },
      );
      poller.start();
      components.push({
        name: 'imap',
        address: `imap://${box.user}@${box.host}:${box.port}/${box.mailbox}`,
        stop: () => poller.stop(),
      });
    }
    components.push(await startMaintenance(deps));
  } catch (error) {
    await Promise.all(components.map((c) => c.stop()));
    throw error;
  }
  return components;
}

async function startMaintenance(deps: ReportComponentDeps): Promise<ReportComponent> {
  const { ingest, reverseNames, log } = deps;
  const recovered = await ingest.recoverInterrupted();
  if (recovered > 0)
    log.warn({ component: 'reports', recovered }, 'removed reports left half-loaded by a crash');
  const warn = (what: string) => (error: unknown) => log.warn({ component: 'reports', err: error }, what);
  const timers = [
    setInterval(() => void ingest.purgeExpired().catch(warn('failure report purge')), HOUR),
    ...(reverseNames === null
      ? []
      : [setInterval(() => void reverseNames.run().catch(warn('reverse names')), HOUR / 6)]),
  ];
  for (const t of timers) t.unref();
  return {
    name: 'reports',
    address: 'maintenance',
    stop() {
      for (const t of timers) clearInterval(t);
      return Promise.resolve();
    },
  };
}
