/**
 * The `inbound` component, started by main.ts: the SMTP listener on `inbound.*`, with STARTTLS when a key and
 * certificate are configured, and mail to postmaster kept in the configured Maildir. This is an edge file: it
 * reads the certificate files.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/index.ts';
import type { BounceSink, FeedbackSink, ReportSink, UnsubscribeSink } from './ports.ts';
import { postmasterMaildir } from './postmaster-maildir.ts';
import { listenInboundSmtp } from './smtp-listener.ts';

/** The `inbound` configuration section, as the component reads it. */
export interface InboundConfig {
  readonly host: string;
  readonly port: number;
  /** Name in the greeting; '' means the mx host. */
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly socketTimeoutSeconds: number;
  /** PEM files for STARTTLS; both '' means no STARTTLS. */
  readonly tlsKeyFile: string;
  readonly tlsCertFile: string;
  readonly postmasterMaildir: string;
  readonly postmasterQuotaBytes: number;
  readonly postmasterMaxMessageBytes: number;
  /** The local part of the feedback (complaint) addresses at the reports, mx and bounce hosts. */
  readonly feedbackLocalPart: string;
}

export interface InboundComponentDeps {
  /** mx.<zone>: the greeting's default name, and a domain whose postmaster this is. */
  readonly mxHost: string;
  readonly reportsHost: string;
  /** The other domains this listener is the MX of, whose postmaster it accepts (RFC 5321 §4.5.1). */
  readonly postmasterDomains: readonly string[];
  readonly reports: ReportSink;
  /** Without one, bounce addresses are refused like any address that is not ours. */
  readonly bounces?: BounceSink;
  /** Feedback reports (complaints) to the feedback addresses; without one, those addresses are not ours. */
  readonly feedback?: FeedbackSink;
  /** Mail to the List-Unsubscribe mailto addresses; without one, those addresses are not ours. */
  readonly unsubscribes?: UnsubscribeSink;
  readonly log: Logger;
}

export interface InboundComponent {
  readonly name: 'inbound';
  /** smtp://host:port, with the port it really listens on. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startInboundComponent(
  settings: InboundConfig,
  deps: InboundComponentDeps,
): Promise<InboundComponent> {
  const tls =
    settings.tlsKeyFile !== '' && settings.tlsCertFile !== ''
      ? { key: readFileSync(settings.tlsKeyFile), cert: readFileSync(settings.tlsCertFile) }
      : undefined;
  const smtp = await listenInboundSmtp(
    {
      host: settings.host,
      port: settings.port,
      hostname: settings.hostname === '' ? deps.mxHost : settings.hostname,
      reportsHost: deps.reportsHost,
      maxMessageBytes: settings.maxMessageBytes,
      maxRecipients: settings.maxRecipients,
      connections: {
        maxConnections: settings.maxConnections,
        maxConnectionsPerClient: settings.maxConnectionsPerIp,
      },
      socketTimeoutMs: settings.socketTimeoutSeconds * 1000,
      ...(tls === undefined ? {} : { tls }),
      postmasterDomains: [deps.mxHost, ...deps.postmasterDomains],
    },
    {
      reports: deps.reports,
      log: deps.log,
      postmaster: postmasterMaildir(settings.postmasterMaildir, {
        quotaBytes: settings.postmasterQuotaBytes,
        maxMessageBytes: settings.postmasterMaxMessageBytes,
      }),
      ...(deps.bounces === undefined ? {} : { bounces: deps.bounces }),
      ...(deps.feedback === undefined ? {} : { feedback: deps.feedback }),
      ...(deps.unsubscribes === undefined ? {} : { unsubscribes: deps.unsubscribes }),
    },
  );
  const host = smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host;
  return { name: 'inbound', address: `smtp://${host}:${smtp.port}`, stop: () => smtp.close() };
}
