/**
 * The inbound component: the MX of the platform's hosts (reports.<zone>, mx.<zone>, the bounce hosts). Its SMTP
 * face accepts mail for the platform's own addresses only and hands each message on through a port: reports to
 * report intake, DSNs to bounce intake, feedback reports to complaint intake, mail to the unsubscribe addresses to
 * unsubscribe intake, mail to postmaster to a Maildir.
 */

/** Starts the listener from the `inbound` settings, with the postmaster Maildir; `stop` closes it. */
export { startInboundComponent } from './inbound-component.ts';
export type { InboundComponent, InboundComponentDeps, InboundConfig } from './inbound-component.ts';

/** The ports each message is handed on through; the capabilities behind them are wired in by main.ts. */
export type {
  BounceSink,
  FeedbackSink,
  InboundMessage,
  PostmasterSink,
  ReportDelivery,
  ReportSink,
  UnsubscribeSink,
} from './ports.ts';
