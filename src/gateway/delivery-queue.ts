import { splitAddress } from '../mail/index.ts';
import { routeFor, type Route } from './mail-route.ts';
import type { MailResolver } from './ports.ts';
import { nextRetry, type RetryPolicy } from './retry-policy.ts';
import {
  contentSize,
  SmtpClient,
  SmtpConnectionError,
  type ClientReply,
  type MessageContent,
  type TlsMode,
  type TransactionResult,
} from './smtp-client.ts';
import { replyClass } from './smtp-reply.ts';

/**
 * The delivery queue: one job per (message, recipient), each with its own VERP envelope sender. Jobs are grouped
 * by destination (the recipient's domain, or the smarthost); each destination gets at most `concurrency`
 * connections, and connections are kept open for the next job. A 4xx (or a broken connection) defers the job
 * with exponential backoff until it expires; a 5xx bounces it. The queue lives in memory; the spool is what
 * makes it durable, and the gateway rebuilds the queue from the spool at start.
 */

export interface DeliveryJob {
  readonly messageId: string;
  readonly recipient: number;
  readonly address: string;
  readonly envelopeFrom: string;
  readonly acceptedAt: number;
  attempts: number;
}

export interface AttemptReport {
  readonly job: DeliveryJob;
  readonly status: 'delivered' | 'deferred' | 'bounced' | 'expired';
  readonly code: number;
  readonly reply: string;
  /** The host that gave the reply (`mx.example.org [192.0.2.1]`), or empty if none was reached. */
  readonly host: string;
  readonly nextAttemptAt: number;
  readonly tls: boolean;
}

export type DeliveryTarget =
  | {
      readonly mode: 'mx';
      readonly port: number;
      readonly resolver: MailResolver;
      /** gateway.delivery.allowPrivateDestinations */
      readonly allowPrivate?: boolean;
    }
  | {
      readonly mode: 'smarthost';
      readonly host: string;
      readonly port: number;
      readonly tls: TlsMode;
      readonly auth?: { readonly username: string; readonly password: string };
    };

export interface DeliveryQueueOptions {
  readonly target: DeliveryTarget;
  readonly heloName: string;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  /** How long an idle connection is kept for the next job. */
  readonly idleMs: number;
  /** Reads the bytes a job sends (in pieces that make up the message when joined): its recipient's copy. */
  readonly load: (job: DeliveryJob) => Promise<MessageContent>;
  /** Called once per attempt, in order; records state, trace, bounces. */
  readonly report: (attempt: AttemptReport) => void;
  readonly now?: () => number;
}

interface Destination {
  readonly key: string;
  readonly ready: DeliveryJob[];
  active: number;
  readonly idle: Array<{ client: SmtpClient; host: string; timer: NodeJS.Timeout }>;
}

export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #destinations = new Map<string, Destination>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #workers = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  /** Queues a job now, or at `notBefore` (ms since the epoch). */
  enqueue(job: DeliveryJob, notBefore = 0): void {
    if (this.#stopped) return;
    const delay = notBefore - this.#now();
    if (delay > 0) {
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          this.enqueue(job);
        },
        Math.min(delay, 2 ** 31 - 1),
      );
      this.#timers.add(timer);
      return;
    }
    const destination = this.#destination(this.#keyFor(job.address));
    destination.ready.push(job);
    this.#pump(destination);
  }

  /** Jobs waiting or being delivered, and jobs waiting for a retry. */
  stats(): { ready: number; active: number; scheduled: number } {
    let ready = 0;
    let active = 0;
    for (const d of this.#destinations.values()) {
      ready += d.ready.length;
      active += d.active;
    }
    return { ready, active, scheduled: this.#timers.size };
  }

  /** Stops taking jobs, lets the transactions in flight finish and closes every connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const d of this.#destinations.values()) d.ready.length = 0;
    await Promise.all([...this.#workers]);
    for (const d of this.#destinations.values()) {
      for (const idle of d.idle.splice(0)) {
        clearTimeout(idle.timer);
        await idle.client.quit();
      }
    }
  }

  #keyFor(address: string): string {
    if (this.#options.target.mode === 'smarthost') return 'smarthost';
    return (splitAddress(address).domain ?? address).toLowerCase();
  }

  #destination(key: string): Destination {
    let d = this.#destinations.get(key);
    if (d === undefined) {
      d = { key, ready: [], active: 0, idle: [] };
      this.#destinations.set(key, d);
    }
    return d;
  }

  #pump(d: Destination): void {
    while (!this.#stopped && d.ready.length > 0 && d.active < this.#options.concurrency) {
      d.active++;
      const worker = this.#work(d).finally(() => {
        d.active--;
        this.#workers.delete(worker);
        if (d.ready.length > 0) this.#pump(d);
        else if (d.active === 0 && d.idle.length === 0) this.#destinations.delete(d.key);
      });
      this.#workers.add(worker);
    }
  }

  async #work(d: Destination): Promise<void> {
    let connection: { client: SmtpClient; host: string } | undefined;
    /** The job that follows on this connection: its envelope may already be on the wire (pipelined). */
    let carried: { job: DeliveryJob; message: MessageContent } | undefined;
    for (;;) {
      let job: DeliveryJob;
      let message: MessageContent | undefined;
      if (carried !== undefined && connection !== undefined && connection.client.usable) {
        ({ job, message } = carried);
        carried = undefined;
      } else {
        // A carried job whose connection broke goes first; it was not attempted.
        if (carried !== undefined) d.ready.unshift(carried.job);
        carried = undefined;
        const first = d.ready.shift();
        if (first === undefined || this.#stopped) {
          if (first !== undefined) d.ready.unshift(first);
          break;
        }
        job = first;
        if (connection === undefined || !connection.client.usable) {
          connection?.client.close();
          connection = this.#takeIdle(d);
          if (connection === undefined) {
            const opened = await this.#connect(d.key);
            if ('failure' in opened) {
              // The destination cannot be reached now: every job waiting for it gets the same answer.
              const failed = [job, ...d.ready.splice(0)];
              for (const j of failed) this.#settle(j, opened.failure, opened.host, false);
              return;
            }
            connection = opened;
          }
        }
      }
      let result: TransactionResult;
      try {
        message ??= await this.#options.load(job);
        // With PIPELINING, the next job's envelope rides along with this message's end of data (RFC 2920).
        carried = connection.client.pipelining && !this.#stopped ? await this.#takeNext(d) : undefined;
        const next = carried && {
          from: carried.job.envelopeFrom,
          recipients: [carried.job.address],
          size: contentSize(carried.message),
        };
        result = await connection.client.send(job.envelopeFrom, [job.address], message, next);
      } catch (error) {
        // A connection lost mid-transaction: we cannot know whether the server took the message (RFC 1047), so
        // it is retried, and may arrive twice.
        const reply = { code: 451, lines: [`4.4.2 ${(error as Error).message}`] };
        this.#settle(job, reply, connection.host, connection.client.secure);
        connection.client.close();
        connection = undefined;
        continue;
      }
      this.#settle(job, finalReply(result), connection.host, connection.client.secure);
    }
    if (connection !== undefined && connection.client.usable && !this.#stopped) this.#park(d, connection);
    else connection?.client.close();
  }

  /** The next ready job with its bytes, to pipeline behind the current one; one that cannot be read is deferred. */
  async #takeNext(d: Destination): Promise<{ job: DeliveryJob; message: MessageContent } | undefined> {
    for (;;) {
      const job = d.ready.shift();
      if (job === undefined) return undefined;
      try {
        return { job, message: await this.#options.load(job) };
      } catch (error) {
        this.#settle(job, { code: 451, lines: [`4.3.0 ${(error as Error).message}`] }, '', false);
      }
    }
  }

  #takeIdle(d: Destination): { client: SmtpClient; host: string } | undefined {
    while (d.idle.length > 0) {
      const idle = d.idle.pop()!;
      clearTimeout(idle.timer);
      if (idle.client.usable) return idle;
      idle.client.close();
    }
    return undefined;
  }

  #park(d: Destination, connection: { client: SmtpClient; host: string }): void {
    const timer = setTimeout(() => {
      const i = d.idle.findIndex((x) => x.timer === timer);
      if (i >= 0) d.idle.splice(i, 1);
      void connection.client.quit();
      if (d.active === 0 && d.ready.length === 0 && d.idle.length === 0) this.#destinations.delete(d.key);
    }, this.#options.idleMs);
    timer.unref();
    d.idle.push({ ...connection, timer });
  }

  async #connect(
    key: string,
  ): Promise<{ client: SmtpClient; host: string } | { failure: ClientReply; host: string }> {
    const o = this.#options;
    const common = {
      heloName: o.heloName,
      connectTimeoutMs: o.connectTimeoutMs,
      commandTimeoutMs: o.commandTimeoutMs,
    };
    const target = o.target;
    if (target.mode === 'smarthost') {
      const host = `${target.host}:${target.port}`;
      try {
        const client = await SmtpClient.connect({
          ...common,
          host: target.host,
          port: target.port,
          tls: target.tls,
          ...(target.auth ? { auth: target.auth } : {}),
        });
        return { client, host };
      } catch (error) {
        return { failure: connectionFailure(error), host };
      }
    }
    const route: Route = await routeFor(key, target.resolver, {
      allowPrivate: target.allowPrivate === true,
    });
    if (route.kind === 'fail') {
      return {
        failure: { code: route.reply.code, lines: [`${route.reply.enhanced} ${route.reply.text}`] },
        host: '',
      };
    }
    let last: ClientReply = { code: 451, lines: ['4.4.1 no mail host answered'] };
    let lastHost = '';
    for (const host of route.hosts) {
      for (const address of host.addresses) {
        lastHost = `${host.name} [${address}]`;
        for (const tls of ['opportunistic', 'none'] as const) {
          try {
            const client = await SmtpClient.connect({
              ...common,
              host: address,
              servername: host.name,
              port: target.port,
              tls,
            });
            return { client, host: lastHost };
          } catch (error) {
            last = connectionFailure(error);
            // RFC 7435: opportunistic TLS that fails its handshake falls back to a plain connection.
            if (!(error instanceof SmtpConnectionError && error.stage === 'STARTTLS')) break;
          }
        }
      }
    }
    return { failure: last, host: lastHost };
  }

  #settle(job: DeliveryJob, reply: ClientReply, host: string, tls: boolean): void {
    job.attempts++;
    const now = this.#now();
    const text = reply.lines.join(' ');
    const kind = replyClass(reply.code);
    if (kind === 2 || kind === 3) {
      this.#options.report({
        job,
        status: 'delivered',
        code: reply.code,
        reply: text,
        host,
        nextAttemptAt: 0,
        tls,
      });
      return;
    }
    if (kind === 5) {
      this.#options.report({
        job,
        status: 'bounced',
        code: reply.code,
        reply: text,
        host,
        nextAttemptAt: 0,
        tls,
      });
      return;
    }
    const decision = nextRetry(this.#options.retry, job.attempts, now, job.acceptedAt);
    if (decision.kind === 'expire') {
      this.#options.report({
        job,
        status: 'expired',
        code: reply.code,
        reply: text,
        host,
        nextAttemptAt: 0,
        tls,
      });
      return;
    }
    this.#options.report({
      job,
      status: 'deferred',
      code: reply.code,
      reply: text,
      host,
      nextAttemptAt: decision.at,
      tls,
    });
    this.enqueue(job, decision.at);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

/** The reply that decides a one-recipient transaction: the first refusal, else the end-of-data reply. */
export function finalReply(result: TransactionResult): ClientReply {
  if (replyClass(result.mail.code) !== 2) return result.mail;
  const rcpt = result.recipients[0];
  if (rcpt !== undefined && replyClass(rcpt.code) !== 2) return rcpt;
  return result.data ?? { code: 451, lines: ['4.3.0 the server did not take the message'] };
}

function connectionFailure(error: unknown): ClientReply {
  const message = error instanceof Error ? error.message : String(error);
  // A refused AUTH or a server that rejected us at the greeting is still worth a retry: it is the relay's state.
  return { code: 451, lines: [`4.4.1 ${message}`] };
}
