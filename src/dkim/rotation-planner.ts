import type { EventSeverity } from '../events/index.ts';
import type { DkimKey, KeyAlgorithm, KeyState } from './model.ts';
import type { RotationPolicy } from './rotation-policy.ts';

/**
 * The rotation planner: pure. Given one series of a domain's keys (one algorithm, its three selectors), the
 * policy, the time and the facts the scheduler gathered (which pending keys a resolver sees through the
 * customer's CNAME), it says which transitions to apply now, what to tell the tenant, and when to look again.
 *
 * The rules, in order:
 *  1. a retiring key stops co-signing when the overlap ends (→ retired);
 *  2. a retired key is revoked when the retention ends (its selector becomes free);
 *  3. a pending key becomes active once it has been published for the lead time AND a resolver sees it (or an
 *     operator overrode the visibility check); the previous active key starts retiring at the same instant, so
 *     signing never has a gap; an older retiring key stops at once, so at most two keys sign;
 *  4. a new pending key is published into a free selector when there is no pending key and: the series has no
 *     active key (first key, or after a revocation), or the active key is a generated one that reaches the end
 *     of its period within the lead time. Imported keys do not rotate by themselves: they raise `aging`.
 */
export type Transition =
  | {
      readonly kind: 'publish';
      readonly selector: string;
      readonly reason: 'initial' | 'scheduled' | 'replacement';
    }
  | { readonly kind: 'activate'; readonly keyId: string; readonly via: 'visible' | 'override' }
  | { readonly kind: 'start-retiring'; readonly keyId: string }
  | { readonly kind: 'retire'; readonly keyId: string }
  | { readonly kind: 'revoke'; readonly keyId: string; readonly reason: string };

export type NoticeType = 'awaiting-visibility' | 'rotation-blocked' | 'aging' | 'no-usable-key';

export interface Notice {
  readonly type: NoticeType;
  readonly severity: EventSeverity;
  /** Stable key for de-duplication: the same notice is not repeated within its interval. */
  readonly key: string;
  readonly keyId: string | null;
  readonly message: string;
}

export interface SeriesInput {
  readonly algorithm: KeyAlgorithm;
  readonly selectors: readonly string[];
  /** Every key of this domain and algorithm, revoked ones included. */
  readonly keys: readonly DkimKey[];
  /** False when the series is switched off (Ed25519 disabled): its keys wind down and none is published. */
  readonly enabled: boolean;
}

export interface PlannerFacts {
  /** Ids of pending keys that a resolver sees through the customer's DNS right now. */
  readonly visible: ReadonlySet<string>;
  /** When each notice key was last raised (ISO time), for de-duplication. */
  readonly lastNotices: ReadonlyMap<string, string>;
}

export interface RotationPlan {
  readonly transitions: readonly Transition[];
  readonly notices: readonly Notice[];
  /** The next instant at which a time-based rule fires, if any (the scheduler may wake earlier). */
  readonly nextCheckAt: Date | null;
}

/** How often a standing problem is repeated to the tenant. */
export const NOTICE_REPEAT_MS: Record<NoticeType, number> = {
  'awaiting-visibility': 86_400_000,
  'rotation-blocked': 86_400_000,
  'no-usable-key': 3_600_000,
  aging: 30 * 86_400_000,
};

const ms = (iso: string | null): number => (iso === null ? NaN : Date.parse(iso));

export function planRotation(
  series: SeriesInput,
  policy: RotationPolicy,
  now: Date,
  facts: PlannerFacts,
): RotationPlan {
  const t = now.getTime();
  const transitions: Transition[] = [];
  const notices: Notice[] = [];
  let next = Infinity;
  const wake = (at: number) => {
    if (at > t && at < next) next = at;
  };
  const notice = (n: Omit<Notice, 'key'> & { key?: string }) => {
    const key = n.key ?? `${n.type}:${n.keyId ?? series.algorithm}`;
    const last = facts.lastNotices.get(key);
    if (last === undefined || t - Date.parse(last) >= NOTICE_REPEAT_MS[n.type]) notices.push({ ...n, key });
  };
  const after = new Map<string, KeyState>(series.keys.map((k) => [k.id, k.state]));
  const byState = (s: KeyState) => series.keys.filter((k) => k.state === s);

  // 1. The overlap ends: stop co-signing.
  for (const k of byState('retiring')) {
    const end = ms(k.retiringAt) + policy.overlapMs;
    if (t >= end) {
      transitions.push({ kind: 'retire', keyId: k.id });
      after.set(k.id, 'retired');
    } else wake(end);
  }
  // 2. The retention ends: revoke, freeing the selector.
  for (const k of byState('retired')) {
    const end = ms(k.retiredAt) + policy.retentionMs;
    if (t >= end) {
      transitions.push({ kind: 'revoke', keyId: k.id, reason: 'retention elapsed' });
      after.set(k.id, 'revoked');
    } else wake(end);
  }

  const active = byState('active').sort((a, b) => ms(b.activatedAt) - ms(a.activatedAt));
  let current: DkimKey | undefined = active[0];
  const pending = byState('pending').sort((a, b) => ms(a.createdAt) - ms(b.createdAt));

  if (!series.enabled) {
    // Switched off: no new keys; the active key co-signs for the overlap and then winds down like any other.
    for (const p of pending) {
      transitions.push({ kind: 'revoke', keyId: p.id, reason: 'series disabled before activation' });
      after.set(p.id, 'revoked');
    }
    for (const a of active) {
      transitions.push({ kind: 'start-retiring', keyId: a.id });
      after.set(a.id, 'retiring');
    }
    return { transitions, notices, nextCheckAt: Number.isFinite(next) ? new Date(next) : null };
  }

  // 3. Activation: lead time elapsed AND seen through the customer's DNS (or overridden).
  let activated: DkimKey | undefined;
  for (const p of pending) {
    const leadEnd = ms(p.createdAt) + policy.leadTimeMs;
    if (t < leadEnd) {
      wake(leadEnd);
      continue;
    }
    const seen = facts.visible.has(p.id) || p.visibleAt !== null;
    if (!seen && !p.activationOverride) {
      notice({
        type: 'awaiting-visibility',
        severity: 'warning',
        keyId: p.id,
        message: `The new ${series.algorithm} key in selector ${p.selector} has been published for the lead time, but a resolver does not see it through the domain's DNS yet; it will sign once it is visible. Check the ${p.selector}._domainkey record.`,
      });
      continue;
    }
    transitions.push({ kind: 'activate', keyId: p.id, via: seen ? 'visible' : 'override' });
    after.set(p.id, 'active');
    for (const a of active) {
      transitions.push({ kind: 'start-retiring', keyId: a.id });
      after.set(a.id, 'retiring');
    }
    // RFC 6376 allows any number of signatures, but two is the designed maximum: an older co-signer stops now.
    for (const r of byState('retiring')) {
      if (after.get(r.id) === 'retiring') {
        transitions.push({ kind: 'retire', keyId: r.id });
        after.set(r.id, 'retired');
      }
    }
    activated = p;
    current = p;
    break;
  }

  // 4. Publication of the next key.
  const pendingLeft = pending.filter((p) => after.get(p.id) === 'pending');
  if (pendingLeft.length === 0) {
    let due: number | null = null;
    let reason: 'initial' | 'scheduled' | 'replacement' = 'scheduled';
    if (current === undefined) {
      due = t;
      reason = series.keys.length === 0 ? 'initial' : 'replacement';
    } else if (current.origin === 'generated') {
      const since = current === activated ? t : ms(current.activatedAt);
      due = since + policy.rotationPeriodMs - policy.leadTimeMs;
    }
    if (due !== null && t >= due) {
      const selector = freeSelector(series, after, t);
      if (selector !== null) transitions.push({ kind: 'publish', selector, reason });
      else
        notice({
          type: 'rotation-blocked',
          severity: 'warning',
          keyId: null,
          message: `No free ${series.algorithm} selector for the next key: all of ${series.selectors.join(', ')} hold keys that are still needed. The rotation waits until one is revoked.`,
        });
    } else if (due !== null) wake(due);
  }

  // Imported keys do not rotate by themselves; tell the tenant as they age.
  if (current !== undefined && current !== activated && current.origin === 'imported') {
    const agingAt = ms(current.activatedAt) + policy.agingThresholdMs;
    if (t >= agingAt)
      notice({
        type: 'aging',
        severity: 'warning',
        keyId: current.id,
        message: `The imported ${series.algorithm} key in selector ${current.selector} has signed since ${current.activatedAt}. Imported keys do not rotate by themselves: rotate it now (senderd dkim rotate) to switch to keys senderd generates and rotates.`,
      });
    else wake(agingAt);
  }

  // Signing never has a silent gap.
  const signing = [...after.entries()].some(([, s]) => s === 'active');
  const signedBefore = series.keys.some((k) => k.activatedAt !== null);
  if (!signing && signedBefore) {
    notice({
      type: 'no-usable-key',
      severity: 'critical',
      keyId: null,
      message: `No ${series.algorithm} key can sign for this domain: mail that needs it is held, not sent unsigned. A new key is being published; it signs once it is visible in DNS (or an operator activates it).`,
    });
  }
  return { transitions, notices, nextCheckAt: Number.isFinite(next) ? new Date(next) : null };
}

/**
 * A selector no needed key holds. Never-used selectors first; otherwise the one whose key was revoked longest
 * ago, so resolvers have had the most time to forget the old record.
 */
function freeSelector(
  series: SeriesInput,
  states: ReadonlyMap<string, KeyState>,
  now: number,
): string | null {
  let best: { selector: string; revokedAt: number } | null = null;
  for (const selector of series.selectors) {
    const keys = series.keys.filter((k) => k.selector === selector);
    if (keys.some((k) => states.get(k.id) !== 'revoked')) continue;
    // A key revoked by this very plan has no timestamp yet: it was revoked now, the most recent of all.
    const revokedAt = keys.length === 0 ? -Infinity : Math.max(...keys.map((k) => ms(k.revokedAt) || now));
    if (best === null || revokedAt < best.revokedAt) best = { selector, revokedAt };
  }
  return best?.selector ?? null;
}
