import type { SourceClass, WindowEvidence } from './evidence.ts';
import { expectedTreatment, stepAt, type Disposition } from './ladder.ts';

/** "Impact of policy": what a step would have done to the failing mail of a past window, under both readings. */
export interface SourceImpact {
  readonly ip: string;
  readonly class: SourceClass;
  readonly reverseName: string | null;
  readonly failing: number;
  readonly rfc7489: Record<Disposition, number>;
  readonly rfc9989: Record<Disposition, number>;
}

export interface PolicyImpact {
  readonly step: number;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly messages: number;
  readonly failing: number;
  readonly rfc7489: Record<Disposition, number>;
  readonly rfc9989: Record<Disposition, number>;
  /** Sources with failing mail, most failing first. */
  readonly sources: readonly SourceImpact[];
}

const scale = (t: Record<Disposition, number>, n: number): Record<Disposition, number> => ({
  none: Math.round(t.none * n),
  quarantine: Math.round(t.quarantine * n),
  reject: Math.round(t.reject * n),
});

export function policyImpact(stepIndex: number, window: WindowEvidence): PolicyImpact {
  const step = stepAt(stepIndex);
  const old = expectedTreatment(step, 'rfc7489');
  const bis = expectedTreatment(step, 'rfc9989');
  const sources = window.sources
    .map((s) => {
      const failing = Math.max(0, s.messages - s.dmarcPass);
      return {
        ip: s.ip,
        class: s.class,
        reverseName: s.reverseName,
        failing,
        rfc7489: scale(old, failing),
        rfc9989: scale(bis, failing),
      };
    })
    .filter((s) => s.failing > 0)
    .sort((a, b) => b.failing - a.failing || a.ip.localeCompare(b.ip));
  const failing = sources.reduce((n, s) => n + s.failing, 0);
  return {
    step: step.index,
    label: step.label,
    from: window.from,
    to: window.to,
    messages: window.sources.reduce((n, s) => n + s.messages, 0),
    failing,
    rfc7489: scale(old, failing),
    rfc9989: scale(bis, failing),
    sources,
  };
}
