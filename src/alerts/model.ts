/**
 * Alerts on change (issue 21): the kinds of condition senderd watches in a domain's daily figures, the settings a
 * tenant chooses (on/off, thresholds, the digest), and what a detected condition carries: the evidence it rests on
 * and the one action that fixes it. Policy steps, rollbacks, certificates and checks already raise their own
 * events (dmarc.step.*, edge.certificate.failed, checks.record.broken): alerts reuse those, never repeat them.
 */
import { z } from 'zod';
import type { EventSeverity } from '../events/index.ts';

export const ALERT_KINDS = [
  'source.new',
  'source.failing',
  'dmarc.pass-rate-dropped',
  'reporter.silent',
  'dkim.selector-failing',
  'reconciliation.excess',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The existing events a digest reports as changes, beside the alerts' own (a type or a dotted prefix). */
export const DIGEST_EVENT_TYPES = [
  'alerts.',
  'dmarc.step.',
  'edge.certificate.failed',
  'checks.record.broken',
  'checks.record.fixed',
  'dkim.key.activated',
  'dkim.signing.unavailable',
] as const;

export type DigestFrequency = 'off' | 'daily' | 'weekly';

export interface AlertSettings {
  readonly enabled: boolean;
  /** Kinds switched off one by one. */
  readonly disabled: readonly AlertKind[];
  /** Points of DMARC pass rate (0-100) below the baseline that count as a drop. */
  readonly passRateDropPoints: number;
  /** Fewest messages a day a domain must have for its pass rate to count (tiny volumes are noise). */
  readonly minDailyMessages: number;
  /** Fewest messages a day a source (or selector) must have for its figures to count. */
  readonly minSourceMessages: number;
  /** Consecutive latest days a condition must hold: a one-day blip never fires. */
  readonly confirmDays: number;
  /** Days without a report after which a reporter that sent daily is silent. */
  readonly silentDays: number;
  /** Days before the latest ones that say what is normal. */
  readonly baselineDays: number;
  readonly digest: DigestFrequency;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  enabled: true,
  disabled: [],
  passRateDropPoints: 10,
  minDailyMessages: 100,
  minSourceMessages: 20,
  confirmDays: 2,
  silentDays: 3,
  baselineDays: 14,
  digest: 'off',
};

export const alertSettingsInput = z.strictObject({
  enabled: z.boolean().optional().describe('Alerts on or off for the whole tenant.'),
  disabled: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).optional().describe('Kinds switched off.'),
  passRateDropPoints: z.number().min(1).max(100).optional().describe('A drop of this many points alerts.'),
  minDailyMessages: z.number().int().min(1).max(10_000_000).optional(),
  minSourceMessages: z.number().int().min(1).max(10_000_000).optional(),
  confirmDays: z.number().int().min(1).max(14).optional().describe('Days a condition must hold.'),
  silentDays: z.number().int().min(2).max(60).optional(),
  baselineDays: z.number().int().min(3).max(90).optional(),
  digest: z.enum(['off', 'daily', 'weekly']).optional().describe('The digest e-mail: off, daily or weekly.'),
});

/** A condition the detector found: stable key, the evidence, and the one action that fixes it. */
export interface AlertCondition {
  readonly kind: AlertKind;
  /** What it is about (a source, a reporter, a selector; '' for the whole domain): the key is kind + subject. */
  readonly subject: string;
  readonly severity: EventSeverity;
  readonly message: string;
  readonly action: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** Conditions that stay known once seen: a new source is new once, and never "resolves". */
export const PERMANENT_KINDS: ReadonlySet<AlertKind> = new Set(['source.new']);

/** The stored state of one condition of one domain: open while it holds, cleared when it no longer does. */
export interface AlertState {
  readonly tenantId: string;
  readonly domainId: string;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly openedAt: string;
  readonly lastSeenAt: string;
  readonly clearedAt: string | null;
}
