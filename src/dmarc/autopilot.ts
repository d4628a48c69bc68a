import type { SourceEvidence, WindowEvidence } from './evidence.ts';
import { mergeWindows, unauthenticated } from './evidence.ts';
import { LAST_STEP, stepAt } from './ladder.ts';

/**
 * The autopilot: a pure decision, from the reports of a window, whether to take the next rollout step, hold, or
 * step back. Every decision carries the checks it made, with values and thresholds, so it can be stored and shown.
 */
export interface AutopilotSettings {
  readonly enabled: boolean;
  /** The evidence window, and the least time between two steps. */
  readonly windowDays: number;
  /** Mail from the platform's own egress must pass DMARC at least this often. */
  readonly minPlatformPass: number;
  /** Of the mail that counts (everything but forwarders and unauthenticated spoofing), the passing share. */
  readonly minCompliantShare: number;
  readonly minMessages: number;
  /** Distinct reporters (K). */
  readonly minReporters: number;
  /** No single unknown but authenticated source (shadow IT) may send more than this share (X). */
  readonly maxUnknownShare: number;
  /** The autopilot climbs no higher than this step. */
  readonly targetStep: number;
  /** The recent period watched for a failure spike. */
  readonly rollbackDays: number;
  /** A source that passed at least this often before... */
  readonly passingBefore: number;
  /** ...and passes less than this recently, with enough volume, is a spike: step back. */
  readonly failingNow: number;
  readonly rollbackMinMessages: number;
}

export const DEFAULT_AUTOPILOT: AutopilotSettings = {
  enabled: false,
  windowDays: 7,
  minPlatformPass: 0.99,
  minCompliantShare: 0.98,
  minMessages: 100,
  minReporters: 2,
  maxUnknownShare: 0.02,
  targetStep: LAST_STEP,
  rollbackDays: 2,
  passingBefore: 0.95,
  failingNow: 0.8,
  rollbackMinMessages: 50,
};

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly value: number;
  readonly threshold: number;
  readonly explanation: string;
}

export interface AutopilotDecision {
  readonly action: 'advance' | 'hold' | 'rollback' | 'idle';
  readonly fromStep: number;
  readonly toStep: number;
  /** One sentence for a person. */
  readonly reason: string;
  readonly checks: readonly Check[];
}

export interface AutopilotInput {
  readonly step: number;
  /** When the step last changed (by anyone). */
  readonly lastChangeAt: string;
  readonly now: string;
  /** The window before the recent period... */
  readonly previous: WindowEvidence;
  /** ...and the recent period itself (rollbackDays long). Together they make the window. */
  readonly recent: WindowEvidence;
  readonly settings: AutopilotSettings;
}

const DAY = 86_400_000;
const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function decide(input: AutopilotInput): AutopilotDecision {
  const { step, settings: s } = input;
  const at = (
    toStep: number,
    action: AutopilotDecision['action'],
    reason: string,
    checks: Check[],
  ): AutopilotDecision => ({
    action,
    fromStep: step,
    toStep,
    reason,
    checks,
  });

  // 1. A failure spike among sources that were passing: step back (also above the target step). Once only per
  // spike: the recent period must lie wholly after the last change, or the same days of reports would step the
  // ladder back again at every tick, from reject to none in hours. Stepping back cannot mend the failure (DMARC
  // results do not depend on p=); it only limits what enforcement does to the mail while someone fixes it.
  const spike = failureSpike(input.previous, input.recent, s);
  const sinceChangeDays = (Date.parse(input.now) - Date.parse(input.lastChangeAt)) / DAY;
  if (spike !== null && step > 0) {
    if (sinceChangeDays >= s.rollbackDays) {
      return at(step - 1, 'rollback', `Stepped back: ${spike.explanation}`, [spike]);
    }
    const settle: Check = {
      name: 'rollback-settle',
      ok: false,
      value: Math.floor(sinceChangeDays * 10) / 10,
      threshold: s.rollbackDays,
      explanation: `the step changed ${sinceChangeDays.toFixed(1)} days ago, so these reports may predate it; another step back waits for ${s.rollbackDays} days of reports after the change`,
    };
    return at(
      step,
      'hold',
      `Holding at ${stepAt(step).label}: ${spike.explanation}; ${settle.explanation}.`,
      [spike, settle],
    );
  }
  if (step >= Math.min(s.targetStep, LAST_STEP)) {
    return at(step, 'idle', `At ${stepAt(step).label}, the autopilot's target.`, spike ? [spike] : []);
  }

  // 2. Dwell: at most one step per window, so each step is judged on a whole window of its own reports.
  const dwellDays = sinceChangeDays;
  const dwell: Check = {
    name: 'dwell',
    ok: dwellDays >= s.windowDays,
    value: Math.floor(dwellDays * 10) / 10,
    threshold: s.windowDays,
    explanation: `${dwellDays.toFixed(1)} of ${s.windowDays} days at this step`,
  };

  const window = mergeWindows(input.previous, input.recent);
  const checks = [dwell, ...windowChecks(window, s)];
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    return at(
      step,
      'hold',
      `Holding at ${stepAt(step).label}: ${failed.map((c) => c.explanation).join('; ')}.`,
      checks,
    );
  }
  return at(step + 1, 'advance', `Advanced to ${stepAt(step + 1).label}: every check passed.`, checks);
}

function windowChecks(window: WindowEvidence, s: AutopilotSettings): Check[] {
  const total = sum(window.sources, (x) => x.messages);
  const platform = window.sources.filter((x) => x.class === 'platform');
  const platformMessages = sum(platform, (x) => x.messages);
  const platformPass = share(
    sum(platform, (x) => x.dmarcPass),
    platformMessages,
  );
  // Forwarders' failures are tolerated (they break SPF by design), and unauthenticated mail is what enforcement
  // is for: neither counts against the sender.
  const counted = window.sources.filter((x) => x.class !== 'forwarder');
  const countedMessages = sum(counted, (x) => x.messages - (x.class === 'unknown' ? unauthenticated(x) : 0));
  const compliant = share(
    sum(counted, (x) => x.dmarcPass),
    countedMessages,
  );
  const shadow = window.sources
    .filter((x) => x.class === 'unknown' && x.authenticatedUnaligned > 0)
    .sort((a, b) => b.authenticatedUnaligned - a.authenticatedUnaligned)[0];
  const shadowShare = shadow ? share(shadow.authenticatedUnaligned, countedMessages) : 0;
  return [
    {
      name: 'volume',
      ok: total >= s.minMessages,
      value: total,
      threshold: s.minMessages,
      explanation: `${total} messages reported (need ${s.minMessages})`,
    },
    {
      name: 'reporters',
      ok: window.reporters.length >= s.minReporters,
      value: window.reporters.length,
      threshold: s.minReporters,
      // Only verified reporters count: the rua address is public, so a report's own org_name proves nothing.
      explanation: `${window.reporters.length} verified reporters (need ${s.minReporters})${ignored(window)}`,
    },
    {
      name: 'platform-pass',
      ok: platformMessages > 0 && platformPass >= s.minPlatformPass,
      value: platformPass,
      threshold: s.minPlatformPass,
      explanation:
        platformMessages === 0
          ? 'no mail from the platform in the reports'
          : `platform mail passes DMARC at ${pct(platformPass)} (need ${pct(s.minPlatformPass)})`,
    },
    {
      name: 'compliant-share',
      ok: countedMessages > 0 && compliant >= s.minCompliantShare,
      value: compliant,
      threshold: s.minCompliantShare,
      // With nothing to count, a share is no figure: "0.0% passes" would read as all mail failing.
      explanation:
        countedMessages === 0
          ? 'no legitimate-looking mail in the reports'
          : `${pct(compliant)} of legitimate-looking mail passes (need ${pct(s.minCompliantShare)})`,
    },
    {
      name: 'unknown-source',
      ok: shadowShare <= s.maxUnknownShare,
      value: shadowShare,
      threshold: s.maxUnknownShare,
      explanation: shadow
        ? `unknown sender ${shadow.reverseName ?? shadow.ip} authenticates but is not aligned, for ${pct(shadowShare)} of mail (allowed ${pct(s.maxUnknownShare)})`
        : 'no unknown authenticated sender',
    },
  ];
}

/** A source that passed before and fails now, with volume: something broke (a key, a DNS record, a relay). */
function failureSpike(previous: WindowEvidence, recent: WindowEvidence, s: AutopilotSettings): Check | null {
  const before = new Map(previous.sources.map((x) => [x.ip, x]));
  let worst: { source: SourceEvidence; now: number; was: number } | null = null;
  for (const source of recent.sources) {
    const old = before.get(source.ip);
    if (source.class === 'forwarder' || old === undefined || source.messages < s.rollbackMinMessages)
      continue;
    const was = share(old.dmarcPass, old.messages);
    const now = share(source.dmarcPass, source.messages);
    if (was >= s.passingBefore && now < s.failingNow && (worst === null || now < worst.now))
      worst = { source, now, was };
  }
  if (worst === null) return null;
  const who =
    worst.source.class === 'platform'
      ? 'platform mail'
      : `mail from ${worst.source.reverseName ?? worst.source.ip}`;
  return {
    name: 'failure-spike',
    ok: false,
    value: worst.now,
    threshold: s.failingNow,
    explanation: `${who} passed DMARC at ${pct(worst.was)} and now at ${pct(worst.now)} (${worst.source.messages} messages in the last ${s.rollbackDays} days, from verified reporters${ignored(mergeWindows(previous, recent))})`,
  };
}

/** ", N unverified reports ignored": the decision's evidence says what it left out. */
function ignored(window: WindowEvidence): string {
  const n = window.ignoredReports ?? 0;
  return n === 0 ? '' : `; ${n} unverified report${n === 1 ? '' : 's'} ignored`;
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}
