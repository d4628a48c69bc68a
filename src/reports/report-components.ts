/**
 * The running parts of the reports capability, each started by main.ts as its own component: the IMAP pollers and
 * the maintenance timers (reverse names of new sources, failure-report retention, reports a crash left
 * half-loaded). Reports that arrive by SMTP come through the inbound component. This is an edge file: it reads
 * password files.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/index.ts';
import { ImapPoller } from './imap-poller.ts';
import type { ReportIngestService } from './ingest.ts';
import type { ReverseNameWorker } from './reverse-names.ts';

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

export interface ReportComponent {
  readonly name: string;
  readonly address: string;
  stop(): Promise<void>;
}

const HOUR = 3600_000;

/** One poller per configured mailbox; messages larger than `maxMessageBytes` are left alone. */
export function startImapPollers(
  mailboxes: readonly ImapMailboxConfig[],
  maxMessageBytes: number,
  deps: ReportComponentDeps & {
    readonly tenantIdByName: (name: string) => Promise<string>;
    /** The cluster's job lease of a mailbox, so one node at a time polls it. */
    readonly gate?: (mailboxKey: string) => () => Promise<boolean>;
  },
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
    poller.start(deps.gate?.(`imap:${box.user}@${box.host}:${box.port}/${box.mailbox}`));
    return {
      name: 'imap',
      address: `imap://${box.user}@${box.host}:${box.port}/${box.mailbox}`,
      stop: () => poller.stop(),
    };
  });
}

/** Recovers reports a crash left half-loaded, then purges old failure reports and resolves new sources' names. */
export async function startReportMaintenance(
  deps: ReportComponentDeps & {
    readonly reverseNames: ReverseNameWorker | null;
    /** The cluster's job lease, so one node at a time runs the hourly maintenance. */
    readonly gate?: () => Promise<boolean>;
  },
): Promise<ReportComponent> {
  const { ingest, reverseNames, log } = deps;
  const gated = (work: () => Promise<unknown>) => async (): Promise<unknown> =>
    deps.gate === undefined || (await deps.gate()) ? work() : undefined;
  // A staged load is invisible and blocks nothing, so removing what a dead process left is only housekeeping.
  const recover = async () => {
    const recovered = await ingest.recoverInterrupted();
    if (recovered > 0)
      log.warn({ component: 'reports', recovered }, 'removed reports a stopped process left half-loaded');
  };
  await recover();
  const warn = (what: string) => (error: unknown) => log.warn({ component: 'reports', err: error }, what);
  const timers = [
    setInterval(() => void gated(recover)().catch(warn('half-loaded report removal')), HOUR),
    setInterval(() => void gated(() => ingest.purgeExpired())().catch(warn('failure report purge')), HOUR),
    ...(reverseNames === null
      ? []
      : [setInterval(() => void gated(() => reverseNames.run())().catch(warn('reverse names')), HOUR / 6)]),
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
