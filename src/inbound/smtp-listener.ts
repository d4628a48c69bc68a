/**
 * The inbound SMTP listener: the MX of reports.<zone> and of the bounce hosts. It accepts mail only for the
 * platform's own addresses (recipients.ts) and hands each message to one port (ports.ts). Every accepted message
 * is handled before the final reply, so a 250 means stored, quarantined or kept, never lost; a broken store gets
 * 451 and the sender retries (RFC 5321 §4.2.5). This is an edge file: it opens a socket.
 */
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { limitConnections, REFUSAL_ALLOWANCE, type ConnectionLimits } from '../connections/index.ts';
import type { Logger } from '../core/index.ts';
import { MailboxFull, PostmasterMessageTooLarge } from './postmaster-maildir.ts';
import type {
  BounceSink,
  FeedbackSink,
  PostmasterSink,
  ReportDelivery,
  ReportSink,
  UnsubscribeSink,
} from './ports.ts';
import { recipientRouter, type RecipientKind } from './recipients.ts';

export interface InboundSmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  readonly reportsHost: string;
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
  /** Connections overall and per client address, counted by src/connections. */
  readonly connections: ConnectionLimits;
  readonly socketTimeoutMs: number;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /** Domains whose postmaster this listener accepts (RFC 5321 §4.5.1), besides a bare <Postmaster>. */
  readonly postmasterDomains?: readonly string[];
}

export interface InboundSmtpDeps {
  readonly reports: ReportSink;
  readonly bounces?: BounceSink;
  readonly feedback?: FeedbackSink;
  readonly unsubscribes?: UnsubscribeSink;
  readonly postmaster?: PostmasterSink;
  readonly log: Logger;
}

export interface InboundSmtpListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** An error whose `responseCode` smtp-server sends as the reply. */
function reply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

class MessageTooLarge extends Error {}

/** Counts the message as it streams and stops at the limit, whatever SIZE the client declared. */
async function* limited(stream: SMTPServerDataStream, max: number): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  // destroyOnReturn: false, so that stopping early leaves the stream to be drained (the client needs a reply).
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > max || stream.sizeExceeded) throw new MessageTooLarge();
    yield chunk;
  }
}

/** The final reply's text for a message of reports: what became of each report in it. */
function reportsReply(delivery: ReportDelivery): string {
  const stored = delivery.outcomes.filter((o) => o.status === 'stored').length;
  const quarantined = delivery.outcomes.filter((o) => o.status === 'quarantined').length;
  return `2.0.0 ${stored} stored, ${delivery.outcomes.length - stored - quarantined} duplicate, ${quarantined} quarantined`;
}

export function listenInboundSmtp(
  options: InboundSmtpOptions,
  deps: InboundSmtpDeps,
): Promise<InboundSmtpListener> {
  const { reports, bounces, feedback, unsubscribes, postmaster, log } = deps;
  const route = recipientRouter({
    reportsHost: options.reportsHost,
    postmasterDomains: postmaster === undefined ? null : (options.postmasterDomains ?? []),
    reports,
    ...(bounces === undefined ? {} : { bounces }),
    ...(feedback === undefined ? {} : { feedback }),
    ...(unsubscribes === undefined ? {} : { unsubscribes }),
  });
  /** The kind of the recipients a session has accepted in its current transaction. */
  const kinds = new WeakMap<SMTPServerSession, RecipientKind>();
  const handOn = (kind: RecipientKind, session: SMTPServerSession, source: AsyncIterable<Uint8Array>) => {
    const recipients = session.envelope.rcptTo.map((r) => r.address);
    const mailFrom = session.envelope.mailFrom;
    if (kind === 'postmaster' && postmaster !== undefined) {
      return postmaster
        .deliver({ returnPath: mailFrom === false ? '' : mailFrom.address, recipients, source })
        .then(() => '2.0.0 Delivered to postmaster');
    }
    if (kind === 'bounce' && bounces !== undefined)
      return bounces.deliver({ recipients, source }).then(() => '2.0.0 Bounce accepted');
    if (kind === 'feedback' && feedback !== undefined) return feedback.deliver({ recipients, source });
    if (kind === 'unsubscribe' && unsubscribes !== undefined) {
      return unsubscribes
        .deliver({ recipients, source, returnPath: mailFrom === false ? '' : mailFrom.address })
        .then(() => '2.0.0 Unsubscribed');
    }
    return reports
      .deliver({ recipients, source, name: `smtp ${session.id}`, clientIp: session.remoteAddress || null })
      .then(reportsReply);
  };

  const server = new SMTPServer({
    name: options.hostname,
    banner: 'senderd report intake',
    size: options.maxMessageBytes,
    // src/connections counts first and answers a full listener with its own 421; this is only a backstop.
    maxClients: options.connections.maxConnections + REFUSAL_ALLOWANCE,
    socketTimeout: options.socketTimeoutMs,
    authOptional: true,
    disabledCommands: options.tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
    ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert }),
    // MEASURED.md: the default reverse lookup goes to the system resolver on every connection.
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= options.maxRecipients) {
        callback(reply(452, '4.5.3 Too many recipients'));
        return;
      }
      route(address.address).then(
        (routed) => {
          if (!routed.accepted) {
            callback(
              routed.reason === 'unknown-report-address'
                ? reply(550, '5.1.1 No such report address')
                : routed.reason === 'unknown-unsubscribe-address'
                  ? reply(550, '5.1.1 No such unsubscribe address')
                  : reply(550, '5.7.1 Relaying denied'),
            );
            return;
          }
          // Reports, bounces, complaints, unsubscribes and postmaster mail go to different handlers: one message is
          // one of them.
          const earlier = session.envelope.rcptTo.length > 0 ? kinds.get(session) : undefined;
          if (earlier !== undefined && earlier !== routed.kind) {
            callback(
              reply(
                452,
                '4.5.3 Send reports, bounces, feedback, unsubscribes and mail to postmaster in separate messages',
              ),
            );
            return;
          }
          kinds.set(session, routed.kind);
          callback();
        },
        (error: unknown) => {
          log.error({ component: 'inbound', err: error }, 'recipient check failed');
          callback(reply(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session: SMTPServerSession, callback) {
      const source = limited(stream, options.maxMessageBytes);
      void handOn(kinds.get(session) ?? 'report', session, source)
        .then(
          (text) => callback(null, text),
          async (error: unknown) => {
            // Whatever went wrong, read the rest so the client gets its reply.
            stream.resume();
            await finished(stream).catch(() => undefined);
            if (error instanceof MailboxFull) {
              callback(reply(452, '4.2.2 The postmaster mailbox is full; try again later'));
              return;
            }
            if (error instanceof PostmasterMessageTooLarge) {
              callback(reply(552, '5.3.4 Message too large for the postmaster mailbox'));
              return;
            }
            if (error instanceof MessageTooLarge) {
              callback(reply(552, `5.3.4 Message larger than ${options.maxMessageBytes} bytes`));
              return;
            }
            log.error({ component: 'inbound', session: session.id, err: error }, 'message not handled');
            callback(reply(451, '4.3.0 Temporary failure, try again later'));
          },
        )
        .catch((error: unknown) => log.error({ component: 'inbound', err: error }, 'reply failed'));
    },
  });
  server.on('error', (error) => log.warn({ component: 'inbound', err: error }, 'smtp error'));
  limitConnections(server.server, {
    limits: options.connections,
    // RFC 5321 §3.1: 421 instead of the greeting; a sending MTA queues the mail and tries again later.
    refusal: (reason) =>
      `421 4.7.0 ${options.hostname} Too many connections${reason === 'client-full' ? ' from your address' : ''}; try again later\r\n`,
    onRefused: (refused) =>
      log.warn(
        { component: 'inbound', client: refused.client, reason: refused.reason },
        'connection refused',
      ),
  });

  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
