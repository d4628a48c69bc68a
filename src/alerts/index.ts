/**
 * Alerts on change, the digest e-mail and reconciliation (issue 21): a pure detector over a domain's daily
 * figures, stored state so each condition fires once, a digest of what changed, and what the gateway sent set
 * against what receivers reported. See docs/alerts.md.
 */
export { AlertService } from './alert-service.ts';
export type { AlertPassResult, AlertServiceDeps } from './alert-service.ts';
export {
  addDays,
  daysBetween,
  detectAlerts,
  detectionWindow,
  excessThreshold,
  SELECTOR_FAIL_PERCENT,
} from './detector.ts';
export type {
  DetectorInput,
  ReconciliationDayFigures,
  SelectorDayFigures,
  SourceDayFigures,
  SourceIdentity,
} from './detector.ts';
export { isDigestEvent, renderDigest } from './digest.ts';
export type { DigestInput, RenderedDigest } from './digest.ts';
export {
  ALERT_KINDS,
  DEFAULT_ALERT_SETTINGS,
  DIGEST_EVENT_TYPES,
  PERMANENT_KINDS,
  alertSettingsInput,
} from './model.ts';
export type { AlertCondition, AlertKind, AlertSettings, AlertState, DigestFrequency } from './model.ts';
export type { AlertDomain, AlertFacts, AlertRepository, StoredAlertSettings } from './ports.ts';
export { reconcile } from './reconciliation.ts';
export type {
  AuthFigures,
  DeliveredRow,
  Reconciliation,
  ReconciliationRow,
  SeenRow,
  SelectorFigures,
} from './reconciliation.ts';
export { RECEIVERS, receiverOfDelivery, receiverOfReporter } from './receivers.ts';
export type { Receiver } from './receivers.ts';
