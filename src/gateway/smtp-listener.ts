import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import { limitConnections, REFUSAL_ALLOWANCE, type ConnectionLimits } from '../connections/index.ts';
import type { Logger } from '../core/index.ts';
import { parseIp, type CidrSet } from '../ip/index.ts';
import type { ConnectionGuard } from './connection-guard.ts';
import { receiveData } from './data-receiver.ts';
import type { SpoolBody } from './spool.ts';
import { checkRecipient, checkReversePath } from './envelope-address.ts';
import { intakeReply } from './intake-refusal.ts';
import { unofferedParameter } from './smtp-parameters.ts';
import type { SmtpReply } from './smtp-reply.ts';
import type { IntakeOutcome, Submission } from './submission.ts';

/**
 * The SMTP edge (smtp-server): submission with STARTTLS and AUTH (RFC 6409, RFC 3207, RFC 4954), submission over
 * implicit TLS (RFC 8314), and a relay port that takes mail without AUTH from allow-listed networks only. This is
 * the one place where a gateway decision becomes an SMTP reply on the wire: the intake's refusals through
 * `intakeReply`, the envelope's here.
 */

export type ListenerKind = 'submission' | 'submissions' | 'relay';

export interface RelayNetwork {
  readonly networks: CidrSet<true>;
  /** The tenant's name; looked up when a client connects, so the tenant may be created after the start. */
  readonly tenant: string;
}

export interface ListenerOptions {
  readonly kind: ListenerKind;
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  readonly tls: { readonly key: string; readonly cert: string };
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
  /** Connections overall and per client address, counted by src/connections. */
  readonly connections: ConnectionLimits;
  readonly socketTimeoutMs: number;
  readonly relayNetworks: readonly RelayNetwork[];
  readonly guard: ConnectionGuard;
  readonly tenantIdOf: (name: string) => Promise<string | null>;
  readonly authenticate: (
    username: string,
    password: string,
  ) => Promise<{ tenantId: string; credentialId: string } | null>;
  readonly accept: (submission: Submission) => Promise<IntakeOutcome>;
  /**
   * Where a message larger than `streamAfterBytes` goes while it arrives (a spool file, data-receiver.ts); absent:
   * every message is held in memory whole (a link rewriter needs the body).
   */
  readonly streaming?: {
    readonly streamAfterBytes: number;
    readonly headerLimitBytes: number;
    readonly createBody: () => Promise<SpoolBody>;
  };
  /**
   * What to do with a recipient by the tenant's suppression list: take it, refuse it, or take it and drop it.
   * `senderDomain` is the MAIL FROM's domain (the header From is not known before DATA), for entries scoped to
   * one sender domain; undefined for the null reverse-path.
   */
  readonly screenRecipient: (
    tenantId: string,
    recipient: string,
    senderDomain: string | undefined,
  ) => Promise<RecipientScreen>;
  /** Recipients taken and dropped by the tenant's choice, once their transaction is complete (an event each). */
  readonly dropped: (
    tenantId: string,
    recipients: ReadonlyArray<{ readonly address: string; readonly reason: string }>,
    messageId: string | null,
  ) => void;
  readonly log: Logger;
}

/** The domain of the transaction's MAIL FROM, if it has one (not the null reverse-path <>). */
function senderDomainOf(session: SMTPServerSession): string | undefined {
  const from = session.envelope.mailFrom;
  if (from === false) return undefined;
  const at = from.address.lastIndexOf('@');
  return at < 0 ? undefined : from.address.slice(at + 1);
}

export type RecipientScreen =
  | { readonly kind: 'accept' }
  | { readonly kind: 'refuse'; readonly reply: SmtpReply }
  | { readonly kind: 'drop'; readonly reason: string };

export interface SmtpListener {
  readonly kind: ListenerKind;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

interface SessionUser {
  readonly tenantId: string;
  readonly credentialId: string | null;
}

/**
 * smtp-server sends no enhanced status codes of its own (ENHANCEDSTATUSCODES is not advertised), so ours lead the
 * text (RFC 3463). Reply text is ASCII: "§" becomes "section".
 */
function smtpError(reply: SmtpReply): SMTPServerError {
  const text = `${reply.enhanced} ${reply.text}`.replace(/§\s?/g, 'section ').replace(/[^\x20-\x7e]/g, '?');
  const error: SMTPServerError = new Error(text);
  error.responseCode = reply.code;
  return error;
}

export async function listenSmtp(options: ListenerOptions): Promise<SmtpListener> {
  const relay = options.kind === 'relay';
  const relayTenants = new Map<string, string>();
  // Per session: recipients accepted at RCPT only to be dropped (the tenant's choice for suppressed ones).
  const droppedBySession = new Map<string, Map<string, string>>();
  const log = options.log.child({ component: 'gateway', listener: options.kind });
  const server = new SMTPServer({
    name: options.hostname,
    banner: 'senderd',
    secure: options.kind === 'submissions',
    key: options.tls.key,
    cert: options.tls.cert,
    // Never a reverse lookup through the system resolver (MEASURED.md): it leaves loopback and costs a round trip.
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: relay,
    disabledCommands: relay ? ['AUTH'] : [],
    // RFC 4954 §4 and RFC 8314: credentials only over TLS.
    allowInsecureAuth: false,
    size: options.maxMessageBytes,
    // src/connections counts first and answers a full listener with its own 421; this is only a backstop.
    maxClients: options.connections.maxConnections + REFUSAL_ALLOWANCE,
    socketTimeout: options.socketTimeoutMs,
    // On shutdown, transactions in flight get this long to finish before their connections are cut.
    closeTimeout: 5_000,
    hideSMTPUTF8: true,
    logger: false,
    onConnect(session, callback) {
      // RFC 4954 §4 and RFC 3207 §4.2: on the STARTTLS port AUTH is offered only once the session is encrypted,
      // so EHLO before STARTTLS lists no AUTH (a client must not send credentials it was never asked for).
      if (options.kind === 'submission') withSessionCommands(session, ['AUTH']);
      if (options.guard.blocked(session.remoteAddress)) {
        return callback(
          smtpError({
            code: 421,
            enhanced: '4.7.0',
            text: 'Too many failed logins from your address; try again later.',
          }),
        );
      }
      if (relay) {
        // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d; the set takes it as the IPv4 address.
        const ip = parseIp(session.remoteAddress);
        const allowed = ip === null ? undefined : options.relayNetworks.find((r) => r.networks.has(ip));
        if (allowed === undefined) {
          log.info({ client: session.remoteAddress }, 'relay refused: address not in gateway.relay.networks');
          return callback(
            smtpError({
              code: 554,
              enhanced: '5.7.1',
              text: 'Relaying from your address is not allowed; use submission with AUTH.',
            }),
          );
        }
        options
          .tenantIdOf(allowed.tenant)
          .then((tenantId) => {
            if (tenantId === null) {
              log.error(
                { tenant: allowed.tenant },
                'gateway.relay.networks names a tenant that does not exist',
              );
              return callback(
                smtpError({ code: 421, enhanced: '4.3.5', text: 'Relay misconfigured; try again later.' }),
              );
            }
            relayTenants.set(session.id, tenantId);
            callback();
          })
          .catch((error: unknown) => {
            log.error({ err: error }, 'relay tenant lookup failed');
            callback(smtpError({ code: 421, enhanced: '4.3.0', text: 'Local error; try again later.' }));
          });
        return;
      }
      callback();
    },
    onSecure(_socket, session, callback) {
      if (options.kind === 'submission') withSessionCommands(session, []);
      callback();
    },
    onClose(session) {
      relayTenants.delete(session.id);
      droppedBySession.delete(session.id);
    },
    onAuth(auth, session, callback) {
      const ip = session.remoteAddress;
      if (options.guard.blocked(ip)) {
        return callback(
          smtpError({ code: 421, enhanced: '4.7.0', text: 'Too many failed logins; try again later.' }),
        );
      }
      options
        .authenticate(auth.username ?? '', auth.password ?? '')
        .then((found) => {
          if (found !== null) {
            const user: SessionUser = { tenantId: found.tenantId, credentialId: found.credentialId };
            return callback(null, { user });
          }
          const shutOut = options.guard.authFailed(ip);
          log.info({ client: ip, username: (auth.username ?? '').slice(0, 64) }, 'authentication failed');
          callback(
            smtpError(
              shutOut
                ? { code: 421, enhanced: '4.7.0', text: 'Too many failed logins; try again later.' }
                : { code: 535, enhanced: '5.7.8', text: 'Authentication credentials invalid.' },
            ),
          );
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'authentication error');
          callback(smtpError({ code: 454, enhanced: '4.7.0', text: 'Temporary authentication failure.' }));
        });
    },
    onMailFrom(address, session, callback) {
      // smtp-server asks for AUTH only where it is offered; before STARTTLS it is not, so the rule is kept here.
      if (sessionUser(session, relayTenants) === null) {
        return callback(smtpError({ code: 530, enhanced: '5.7.0', text: 'Authentication required.' }));
      }
      const refusal = unofferedParameter('MAIL', address.args, !relay) ?? checkReversePath(address.address);
      if (refusal !== null) return callback(smtpError(refusal));
      const size = address.args && typeof address.args.SIZE === 'string' ? Number(address.args.SIZE) : 0;
      // RFC 1870 §6.1: a declared size over the limit is refused before any data is sent.
      if (size > options.maxMessageBytes) {
        return callback(
          smtpError({
            code: 552,
            enhanced: '5.3.4',
            text: `Message size exceeds the limit of ${options.maxMessageBytes} bytes.`,
          }),
        );
      }
      callback();
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= options.maxRecipients) {
        // RFC 5321 §4.5.3.1.10: 452 tells the client to send the rest in another transaction.
        return callback(
          smtpError({
            code: 452,
            enhanced: '4.5.3',
            text: `Too many recipients (limit ${options.maxRecipients}).`,
          }),
        );
      }
      const parameter = unofferedParameter('RCPT', address.args, !relay);
      if (parameter !== null) return callback(smtpError(parameter));
      const recipient = checkRecipient(address.address);
      if (!recipient.ok) return callback(smtpError(recipient.error));
      // smtp-server keeps this object as the recipient: delivery gets the domain as A-labels.
      address.address = recipient.value;
      const user = sessionUser(session, relayTenants);
      if (user === null) return callback();
      options
        .screenRecipient(user.tenantId, recipient.value, senderDomainOf(session))
        .then((screen) => {
          if (screen.kind === 'refuse') {
            log.info({ to: recipient.value, reply: screen.reply.text }, 'recipient refused: suppressed');
            return callback(smtpError(screen.reply));
          }
          if (screen.kind === 'drop') {
            const reasons = droppedBySession.get(session.id) ?? new Map<string, string>();
            reasons.set(recipient.value, screen.reason);
            droppedBySession.set(session.id, reasons);
          }
          callback();
        })
        .catch((error: unknown) => {
          // The list cannot be read: a temporary refusal, never mail to a recipient that may be suppressed.
          log.error({ err: error }, 'suppression lookup failed');
          callback(smtpError({ code: 451, enhanced: '4.3.0', text: 'Local error; try again later.' }));
        });
    },
    onData(stream, session, callback) {
      const streaming = options.streaming;
      receiveData(stream, {
        // Without a place to stream to, everything is held (the size limit still bounds it).
        streamAfterBytes: streaming?.streamAfterBytes ?? Infinity,
        headerLimitBytes: streaming?.headerLimitBytes ?? Infinity,
        createBody: streaming?.createBody ?? (() => Promise.reject(new Error('no streaming'))),
        sizeExceeded: () => stream.sizeExceeded,
      })
        .then(async (received) => {
          // The transaction ends here whatever happens: the next one starts with no dropped recipients.
          const drop = droppedBySession.get(session.id) ?? new Map<string, string>();
          droppedBySession.delete(session.id);
          if (received.kind === 'too-large') {
            return callback(
              smtpError({
                code: 552,
                enhanced: '5.3.4',
                text: `Message size exceeds the limit of ${options.maxMessageBytes} bytes.`,
              }),
            );
          }
          if (received.kind === 'refused')
            return callback(smtpError(intakeReply({ reason: 'content', reply: received.reply })));
          const body = received.kind === 'streamed' ? received.body : undefined;
          const user = sessionUser(session, relayTenants);
          if (user === null) {
            await body?.abort();
            return callback(smtpError({ code: 530, enhanced: '5.7.0', text: 'Authentication required.' }));
          }
          const all = session.envelope.rcptTo.map((r) => r.address);
          const recipients = all.filter((r) => !drop.has(r));
          const dropped = all.flatMap((address) => {
            const reason = drop.get(address);
            return reason === undefined ? [] : [{ address, reason }];
          });
          if (recipients.length === 0) {
            // The tenant chose to have suppressed recipients taken and dropped: nothing to send, an event each.
            await body?.abort();
            options.dropped(user.tenantId, dropped, null);
            return callback(null, 'Ok: not queued, every recipient is suppressed');
          }
          try {
            const outcome = await options.accept({
              tenantId: user.tenantId,
              credential: user.credentialId,
              mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              recipients,
              data:
                received.kind === 'whole'
                  ? received.data
                  : { message: received.message, body: received.body },
              clientAddress: session.remoteAddress,
              helo: session.hostNameAppearsAs ?? '',
              secure: session.secure,
            });
            if (outcome.ok) {
              if (dropped.length > 0) options.dropped(user.tenantId, dropped, outcome.id);
              return callback(null, `Ok: queued as ${outcome.id}`);
            }
            // A refused message leaves nothing behind: its body file goes (a spooled one is not touched).
            await body?.abort();
            callback(smtpError(intakeReply(outcome.refusal)));
          } catch (error) {
            await body?.abort();
            throw error;
          }
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'accepting a message failed');
          callback(smtpError({ code: 451, enhanced: '4.3.0', text: 'Local error; try again later.' }));
        });
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'smtp server error'));
  limitConnections(server.server, {
    limits: options.connections,
    // RFC 5321 §3.1: a server that cannot take the connection may answer 421 instead of its greeting.
    refusal: (reason) =>
      `421 4.7.0 ${options.hostname} Too many connections${
        reason === 'client-full'
          ? ` from your address (limit ${options.connections.maxConnectionsPerClient})`
          : ''
      }; try again later\r\n`,
    onRefused: (refused) =>
      log.warn({ client: refused.client, reason: refused.reason }, 'connection refused'),
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    kind: options.kind,
    host: options.host,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** smtp-server reads `session.disabledCommands`, when set, in place of the server-wide list. */
function withSessionCommands(session: SMTPServerSession, disabled: readonly string[]): void {
  (session as SMTPServerSession & { disabledCommands?: string[] }).disabledCommands = [...disabled];
}

function sessionUser(session: SMTPServerSession, relayTenants: Map<string, string>): SessionUser | null {
  const user = session.user as SessionUser | undefined;
  if (user !== undefined && typeof user.tenantId === 'string') return user;
  const tenantId = relayTenants.get(session.id);
  return tenantId === undefined ? null : { tenantId, credentialId: null };
}
