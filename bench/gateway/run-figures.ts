/** What one run of a 2 KB case measured, and how the benchmark prints it. */
import { median } from './cpu.ts';

export interface RunFigures {
  /** msgs/s until smtp-source had its last 250 (the server's queue durable). */
  readonly accepted: number;
  /** msgs/s until smtp-sink had every message. */
  readonly endToEnd: number;
  /** CPU seconds per 1,000 messages of the server under test: senderd's gateway, or Postfix with OpenDKIM. */
  readonly serverCpu: number;
  readonly sourceCpu: number;
  readonly sinkCpu: number;
  /** The server's CPU seconds per 1,000 messages by part (threads of the gateway; Postfix and OpenDKIM). */
  readonly breakdown: string;
  /** How the run's signatures were checked, when they were. */
  readonly verified: string;
}

export const fmt = (x: number, digits = 0): string => x.toFixed(digits);

/** One run's figures, then the server's CPU by part and how its signatures were checked, each on a line. */
export function describeRun(server: string, r: RunFigures, openssl: number): string {
  return (
    describeMedians(server, medians([{ figures: r, openssl }])) +
    (r.breakdown === '' ? '' : `\n    ${server} by part: ${r.breakdown}`) +
    (r.verified === '' ? '' : `\n    ${r.verified}`)
  );
}

export interface Medians {
  readonly accepted: number;
  readonly acceptedRatio: number;
  readonly endToEnd: number;
  readonly endToEndRatio: number;
  readonly serverCpu: number;
  readonly sourceCpu: number;
  readonly sinkCpu: number;
}

/** The median of each figure over a case's runs; the ratios to openssl are taken run by run first. */
export function medians(runs: ReadonlyArray<{ figures: RunFigures; openssl: number }>): Medians {
  const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
  return {
    accepted: m((r) => r.figures.accepted),
    acceptedRatio: m((r) => r.figures.accepted / r.openssl),
    endToEnd: m((r) => r.figures.endToEnd),
    endToEndRatio: m((r) => r.figures.endToEnd / r.openssl),
    serverCpu: m((r) => r.figures.serverCpu),
    sourceCpu: m((r) => r.figures.sourceCpu),
    sinkCpu: m((r) => r.figures.sinkCpu),
  };
}

/** "accepted 1342 msgs/s (0.34x openssl), end to end ...; CPU s per 1,000 msgs: gateway 0.930, ..." */
export function describeMedians(server: string, m: Medians): string {
  return (
    `accepted ${fmt(m.accepted)} msgs/s (${fmt(m.acceptedRatio, 2)}x openssl), ` +
    `end to end ${fmt(m.endToEnd)} msgs/s (${fmt(m.endToEndRatio, 2)}x openssl); ` +
    `CPU s per 1,000 msgs: ${server} ${fmt(m.serverCpu, 3)}, smtp-source ${fmt(m.sourceCpu, 3)}, smtp-sink ${fmt(m.sinkCpu, 3)}`
  );
}

/** "name 1.234, other 0.567" for the parts that used at least a millisecond per 1,000 messages, largest first. */
export function describeParts(parts: ReadonlyMap<string, number>): string {
  return [...parts]
    .filter(([, seconds]) => seconds >= 0.001)
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${seconds.toFixed(3)}`)
    .join(', ');
}
