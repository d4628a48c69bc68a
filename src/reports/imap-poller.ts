/**
 * Polling an existing mailbox where reports already arrive (the rua address a domain used before senderd), with
 * imapflow. Each message not yet handled is streamed into the intake pipeline, then flagged (`$SenderdImported`,
 * RFC 9051 §2.3.2 keywords), deleted or moved, as configured. A message is marked only after its outcome is
 * stored, so a crash means it is read again (and then counted as a duplicate), never lost.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from '../core/index.ts';
import type { IngestOutcome } from './outcome.ts';
import type { ReportIngestService } from './ingest.ts';

export const IMPORTED_KEYWORD = '$SenderdImported';

export interface ImapMailbox {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly mailbox: string;
  /**
   * The tenant these reports belong to (attribution rule 2), or null for the operator's mailbox. A function, so a
   * tenant named in the configuration is looked up at each poll (a poll is skipped while it does not exist).
   */
  readonly tenantId: string | null | (() => Promise<string | null>);
  readonly afterImport: 'flag' | 'delete' | 'move';
  readonly moveTo: string;
  readonly intervalMs: number;
  /** For tests against a local server with a self-signed certificate. */
  readonly rejectUnauthorized?: boolean;
  /** Largest message downloaded; bigger ones are left alone and logged. */
  readonly maxMessageBytes: number;
}

export interface PollResult {
  readonly messages: number;
  readonly outcomes: readonly IngestOutcome[];
}

export class ImapPoller {
  readonly #mailbox: ImapMailbox;
  readonly #ingest: ReportIngestService;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<PollResult> | null = null;

  constructor(mailbox: ImapMailbox, deps: { ingest: ReportIngestService; log: Logger }) {
    this.#mailbox = mailbox;
    this.#ingest = deps.ingest;
    this.#log = deps.log.child({
      component: 'imap',
      mailbox: `${mailbox.user}@${mailbox.host}/${mailbox.mailbox}`,
    });
  }

  /** One pass over the mailbox. Concurrent calls share the pass in progress. */
  pollOnce(): Promise<PollResult> {
    this.#running ??= this.#poll().finally(() => (this.#running = null));
    return this.#running;
  }

  /** Polls every interval; with a `gate` (the cluster's job lease for this mailbox), only while it says yes. */
  start(gate?: () => Promise<boolean>): void {
    const tick = () => {
      const pass = async () => (gate === undefined || (await gate()) ? this.pollOnce() : null);
      pass().catch((error: unknown) => this.#log.warn({ err: error }, 'poll failed'));
    };
    tick();
    this.#timer = setInterval(tick, this.#mailbox.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  async #poll(): Promise<PollResult> {
    const m = this.#mailbox;
    const tenantId = typeof m.tenantId === 'function' ? await m.tenantId() : m.tenantId;
    const client = new ImapFlow({
      host: m.host,
      port: m.port,
      secure: m.secure,
      auth: { user: m.user, pass: m.password },
      logger: false,
      tls: { rejectUnauthorized: m.rejectUnauthorized ?? true },
    });
    await client.connect();
    const outcomes: IngestOutcome[] = [];
    let messages = 0;
    try {
      const lock = await client.getMailboxLock(m.mailbox);
      try {
        const uids =
          (await client.search({ unKeyword: IMPORTED_KEYWORD, deleted: false }, { uid: true })) || [];
        for (const uid of uids) {
          const download = await client.download(String(uid), undefined, {
            uid: true,
            maxBytes: m.maxMessageBytes,
          });
          if (download.content === undefined) continue;
          const result = await this.#ingest.ingest({
            source: download.content,
            via: 'imap',
            tenantId,
            name: `imap ${m.mailbox} uid ${uid}`,
          });
          outcomes.push(...result.outcomes);
          messages++;
          await this.#done(client, uid);
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    if (messages > 0) this.#log.info({ messages }, 'mailbox polled');
    return { messages, outcomes };
  }

  async #done(client: ImapFlow, uid: number): Promise<void> {
    const m = this.#mailbox;
    if (m.afterImport === 'delete') {
      await client.messageDelete(String(uid), { uid: true });
      return;
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen', IMPORTED_KEYWORD], { uid: true });
    if (m.afterImport === 'move') {
      await client.mailboxCreate(m.moveTo).catch(() => undefined);
      await client.messageMove(String(uid), m.moveTo, { uid: true });
    }
  }
}
