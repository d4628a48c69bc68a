/**
 * The running parts of the reports capability, each started by main.ts as its own component: the inbound SMTP
 * listener, the IMAP pollers, and the maintenance timers (reverse names of new sources, failure-report
 * retention, reports a crash left half-loaded). This is an edge file: it reads certificate and password files.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/index.ts';
import { ImapPoller } from './imap-poller.ts';
import type { ReportIngestService } from './ingest.ts';
import type { ReverseNameWorker } from './reverse-names.ts';
import { postmasterMaildir } from './postmaster-maildir.ts';
import { listenInboundSmtp, type BounceSink } from './smtp-intake.ts';

/** The `inbound` configuration section, as the listener reads it. */
export interface InboundConfig {
  readonly host: string;
  readonly port: number;
  /** Empty means the mx host of the platform zone. */
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
  readonly maxConnections: number;
  readonly socketTimeoutSeconds: number;
  readonly tlsKeyFile: string;
  readonly tlsCertFile: string;
  readonly postmasterMaildir: string;
}

/** One entry of `reports.imap`: a mailbox polled for reports. */
export interface ImapMailboxConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly passwordFile: string;
  readonly mailbox: string;
  readonly tenant?: string | undefined;
  readonly intervalSeconds: number;
  readonly afterImport: 'flag' | 'delete' | 'move';
  readonly moveTo: string;
}

export interface ReportComponentDeps {
  readonly ingest: ReportIngestService;
  readonly log: Logger;
}

export interface InboundListenerDeps extends ReportComponentDeps {
  readonly mxHost: string;
  readonly reportsHost: string;
  /** The other domains this listener is the MX of, whose postmaster it accepts (RFC 5321 §4.5.1). */
  readonly postmasterDomains: readonly string[];
  readonly bounces?: BounceSink;
}

export interface ReportComponent {
  readonly name: string;
  readonly address: string;
  stop(): Promise<void>;
}

const HOUR = 3600_000;

/** The inbound SMTP listener: the MX of the reports and bounce hosts. */
export async function startInboundListener(
  inbound: InboundConfig,
  deps: InboundListenerDeps,
): Promise<ReportComponent> {
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
      ingest: deps.ingest,
      log: deps.log,
      postmaster: postmasterMaildir(inbound.postmasterMaildir),
      ...(deps.bounces === undefined ? {} : { bounces: deps.bounces }),
    },
  );
  const host = smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host;
  return { name: 'inbound', address: `smtp://${host}:${smtp.port}`, stop: () => smtp.close() };
}

/** One poller per configured mailbox; messages larger than `maxMessageBytes` are left alone. */
export function startImapPollers(
  mailboxes: readonly ImapMailboxConfig[],
  maxMessageBytes: number,
  deps: ReportComponentDeps & { readonly tenantIdByName: (name: string) => Promise<string> },
): ReportComponent[] {
  // Every password file is read before any poller starts, so a missing one leaves nothing running.
  const pollers = mailboxes.map((box) => {
    const tenant = box.tenant;
    const poller = new ImapPoller(
      {
        host: box.host,
        port: box.port,
        secure: box.secure,
        user: box.user,
        password: readFileSync(box.passwordFile, 'utf8').trim(),
        mailbox: box.mailbox,
        tenantId: tenant === undefined ? null : () => deps.tenantIdByName(tenant),
        afterImport: box.afterImport,
        moveTo: box.moveTo,
        intervalMs: box.intervalSeconds * 1000,
        maxMessageBytes,
      },
      { ingest: deps.ingest, log: deps.log },
    );
    return { box, poller };
  });
  return pollers.map(({ box, poller }) => {
    poller.start();
    return {
      name: 'imap',
      address: `imap://${box.user}@${box.host}:${box.port}/${box.mailbox}`,
      stop: () => poller.stop(),
    };
  });
}

/** Recovers reports a crash left half-loaded, then purges old failure reports and resolves new sources' names. */
export async function startReportMaintenance(
  deps: ReportComponentDeps & { readonly reverseNames: ReverseNameWorker | null },
): Promise<ReportComponent> {
  const { ingest, reverseNames, log } = deps;
  // A staged load is invisible and blocks nothing, so removing what a dead process left is only housekeeping.
  const recover = async () => {
    const recovered = await ingest.recoverInterrupted();
    if (recovered > 0)
      log.warn({ component: 'reports', recovered }, 'removed reports a stopped process left half-loaded');
  };
  await recover();
  const warn = (what: string) => (error: unknown) => log.warn({ component: 'reports', err: error }, what);
  const timers = [
    setInterval(() => void recover().catch(warn('half-loaded report removal')), HOUR),
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
