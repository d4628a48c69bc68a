/**
 * The rollout ladder (DESIGN.md): monitor → quarantine 1, 5, 10, 25, 50, 100% → reject 1, 5, 10, 25, 50, 100%.
 *
 * Each step is published as ONE record that both generations of receivers read as intended:
 *
 * - RFC 7489 receivers honour `pct` (§6.3): the policy applies to pct% of failing mail and "those that are not thus
 *   selected MUST instead be subjected to the next policy lower in terms of severity" (§6.6.4). They ignore the
 *   unknown tag `t` ("Unknown tags MUST be ignored", §6.3).
 * - RFC 9989 receivers treat `pct` as historic (Appendix A.6) and read `t` (§4.7): with `t=y` "the Domain Owner is
 *   currently testing its specified DMARC assessment policy, and has an expectation that the policy applied to any
 *   failing messages will be one level below the specified policy. That is, if the policy is "quarantine" and the
 *   value of the "t" tag is "y", a policy of "none" will be applied to failing messages; if the policy is "reject"
 *   and the value of the "t" tag is "y", a policy of "quarantine" will be applied".
 *
 * So a partial step `p=quarantine; pct=N; t=y` means "quarantine N%, the rest none" to an RFC 7489 receiver and "none,
 * we are testing quarantine" to an RFC 9989 receiver; `p=reject; pct=N; t=y` means "reject N%, quarantine the rest"
 * and "quarantine". Neither reader ever applies more than the step's policy nor less than the one below it. A full
 * step leaves `pct` out (its default is 100) and says `t=n`.
 */
export type Disposition = 'none' | 'quarantine' | 'reject';

export interface LadderStep {
  /** 0 … 12 */
  readonly index: number;
  /** `p=` of the record. */
  readonly p: Disposition;
  /** The share of failing mail the policy is meant for, in percent. */
  readonly percent: number;
  /** `pct=` as published (only on partial steps). */
  readonly pct?: number;
  /** `t=` as published (absent on the monitoring step, where it has no effect per RFC 9989 §4.7). */
  readonly t?: 'y' | 'n';
  /** A short name for people: "monitor", "quarantine 5%", "reject 100%". */
  readonly label: string;
}

const PERCENTS = [1, 5, 10, 25, 50, 100] as const;

function build(): LadderStep[] {
  const steps: LadderStep[] = [{ index: 0, p: 'none', percent: 100, label: 'monitor' }];
  for (const p of ['quarantine', 'reject'] as const) {
    for (const percent of PERCENTS) {
      const full = percent === 100;
      steps.push({
        index: steps.length,
        p,
        percent,
        ...(full ? { t: 'n' as const } : { pct: percent, t: 'y' as const }),
        label: `${p} ${percent}%`,
      });
    }
  }
  return steps;
}

export const LADDER: readonly LadderStep[] = build();
export const LAST_STEP = LADDER.length - 1;

export function stepAt(index: number): LadderStep {
  const step = LADDER[index];
  if (step === undefined) throw new RangeError(`ladder step ${index} does not exist (0–${LAST_STEP})`);
  return step;
}

/** The policy one level below (RFC 7489 §6.6.4 and RFC 9989 §4.7 agree on the order). */
export function oneLevelBelow(p: Disposition): Disposition {
  return p === 'reject' ? 'quarantine' : 'none';
}

/**
 * What a receiver does with failing mail at a step, as fractions of that mail, under either reading.
 * RFC 7489 splits by pct; RFC 9989 applies one policy to all of it.
 */
export function expectedTreatment(
  step: LadderStep,
  reading: 'rfc7489' | 'rfc9989',
): Record<Disposition, number> {
  const out: Record<Disposition, number> = { none: 0, quarantine: 0, reject: 0 };
  if (reading === 'rfc9989') {
    out[step.t === 'y' ? oneLevelBelow(step.p) : step.p] = 1;
    return out;
  }
  const share = (step.pct ?? 100) / 100;
  out[step.p] += share;
  if (share < 1) out[oneLevelBelow(step.p)] += 1 - share;
  return out;
}

/** BIMI needs an enforced policy: quarantine or reject for all mail (pct 100, no t=y). */
export function allowsBimi(step: LadderStep): boolean {
  return step.p !== 'none' && step.t === 'n';
}
