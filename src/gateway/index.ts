/**
 * The signing SMTP gateway: submission and relay listeners, checks, DKIM signing, the durable spool, delivery
 * (smarthost or direct MX) with retries and bounces, and the per-message trace.
 */
export { startGatewayComponent, gatewaySettings } from './gateway-component.ts';
export type { GatewayComponentDeps, RunningGateway } from './gateway-component.ts';
export type { GatewayConfig, GatewaySection } from './gateway-config.ts';
export { Gateway } from './gateway.ts';
export type { GatewayDeps, GatewaySettings, GatewayStats } from './gateway.ts';
export type { IntakeOutcome, Submission } from './submission.ts';
export type {
  DnsOutcome,
  LinkRewriter,
  MailResolver,
  MessageRewrite,
  MxRecord,
  RewriteInput,
} from './ports.ts';
export { systemMailResolver } from './dns-resolver.ts';
export { parseUnsubscribeAddress, parseVerpAddress, unsubscribeAddress, verpAddress } from './envelope.ts';
export { SmtpClient } from './smtp-client.ts';
export type { SmtpClientOptions, ClientReply, TransactionResult } from './smtp-client.ts';
export type {
  BounceRecord,
  DeliveryAttempt,
  GatewayRepository,
  MessageStatus,
  MessageTrace,
} from './trace.ts';
export { TraceService } from './trace-service.ts';
export { certificateSerial, loadTlsFiles, selfSignedCertificate } from './tls-certificate.ts';
export { bounceIntake } from './bounce-intake.ts';
export { verpKeyFrom } from './envelope.ts';
