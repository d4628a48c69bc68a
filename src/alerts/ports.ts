/** What the alerts capability needs from the store: its own state and settings, and reads of the facts. */
import type { DailyFigures, SourceDayRow, SourceRow, VerifiedOnly } from '../reports/index.ts';
import type { SelectorDayFigures } from './detector.ts';
import type { AlertKind, AlertSettings, AlertState } from './model.ts';
import type { DeliveredRow, SeenRow } from './reconciliation.ts';

export interface StoredAlertSettings extends AlertSettings {
  readonly tenantId: string;
  /** When the last digest went out (null: never). */
  readonly digestSentAt: string | null;
  readonly updatedAt: string;
}

export interface AlertDomain {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
}

export interface AlertRepository {
  settings(tenantId: string): Promise<StoredAlertSettings | null>;
  saveSettings(settings: StoredAlertSettings): Promise<void>;
  /** Tenants whose digest is on (daily or weekly). */
  digestTenants(): Promise<StoredAlertSettings[]>;
  /** Records that a digest went out; false when another node recorded one since `seen` (compare-and-set). */
  markDigestSent(tenantId: string, seen: string | null, at: string): Promise<boolean>;
  /** Open and permanent states of a domain. */
  states(domainId: string): Promise<AlertState[]>;
  /**
   * Opens a condition's state unless it is already open (the unique key decides, so two nodes cannot both open
   * it): true when this call opened it, and only then is its event emitted.
   */
  open(state: AlertState): Promise<boolean>;
  touch(domainId: string, kind: AlertKind, subject: string, at: string): Promise<void>;
  /** Clears an open state: true when this call cleared it. */
  clear(domainId: string, kind: AlertKind, subject: string, at: string): Promise<boolean>;
  /** Every domain (alerts look at all of them, tenant by tenant). */
  domains(): Promise<AlertDomain[]>;
}

/**
 * Reads of the facts the detector and the reconciliation judge. Each reads only the reports that count as evidence
 * (`verified`: verified reporters, and legacy ones during the transition), as the DMARC autopilot does: the rua
 * address is public, so a forged report could otherwise raise an alert or hide one (issue 14 item 8).
 */
export interface AlertFacts {
  daily(domainId: string, from: string, to: string, verified: VerifiedOnly): Promise<DailyFigures[]>;
  sourceDays(domainId: string, from: string, to: string, verified: VerifiedOnly): Promise<SourceDayRow[]>;
  sources(domainId: string, from: string, to: string, verified: VerifiedOnly): Promise<SourceRow[]>;
  /** Days on which each reporter reported, named by the domain its verification proved (else its name). */
  reporterDays(
    domainId: string,
    from: string,
    to: string,
    verified: VerifiedOnly,
  ): Promise<Array<{ reporter: string; day: string }>>;
  selectorDays(
    domainId: string,
    from: string,
    to: string,
    verified: VerifiedOnly,
  ): Promise<SelectorDayFigures[]>;
  /** Messages the gateway delivered for the domain, by day and recipient domain. */
  delivered(domainId: string, from: string, to: string): Promise<DeliveredRow[]>;
  /** Report records of the window from these source addresses with header_from = the domain. */
  seen(
    domainId: string,
    domain: string,
    from: string,
    to: string,
    sourceIps: readonly string[],
    verified: VerifiedOnly,
  ): Promise<SeenRow[]>;
}
