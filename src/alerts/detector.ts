/**
 * The alert detector: pure, over a domain's daily figures. It says which conditions hold on the latest days, each
 * with its evidence and the one action that fixes it. What is new is decided elsewhere (the stored state), so the
 * detector can be asked every hour and say the same thing. Noise never fires: a condition must hold on each of the
 * last `confirmDays` days (a one-day blip is not a trend), and days or sources below the volume floors are not
 * judged at all.
 */
import type { DailyFigures } from '../reports/index.ts';
import type { AlertCondition, AlertKind, AlertSettings } from './model.ts';

export interface SourceDayFigures {
  readonly day: string;
  /** The source: the organisational domain of a forward-confirmed reverse name, else the address. */
  readonly source: string;
  readonly messages: number;
  readonly dmarcPass: number;
}

export interface SourceIdentity {
  readonly class: 'platform' | 'forwarder' | 'unknown';
  readonly addresses: readonly string[];
}

export interface SelectorDayFigures {
  readonly day: string;
  readonly signingDomain: string;
  readonly selector: string;
  readonly messages: number;
  readonly pass: number;
  readonly fail: number;
}

export interface ReconciliationDayFigures {
  readonly day: string;
  readonly receiver: string;
  readonly sent: number;
  readonly seen: number;
}

export interface DetectorInput {
  /** The domain's name (A-labels, lower case). */
  readonly domain: string;
  /** The latest day judged (YYYY-MM-DD): reports for a day arrive the day after, so this is yesterday. */
  readonly asOf: string;
  readonly daily: readonly DailyFigures[];
  readonly sources: readonly SourceDayFigures[];
  readonly identities: ReadonlyMap<string, SourceIdentity>;
  /** Days on which each reporter's reports counted. */
  readonly reporterDays: readonly { readonly reporter: string; readonly day: string }[];
  readonly selectors: readonly SelectorDayFigures[];
  readonly reconciliation: readonly ReconciliationDayFigures[];
}

/** A selector of the domain's own that fails this share of its messages is failing. */
export const SELECTOR_FAIL_PERCENT = 20;
/** A reporter counts as sending daily when it reported on this share of its baseline days. */
const DAILY_SHARE = 0.7;

/** The days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The window a detector needs for these settings: baseline days then the confirm days, ending at `asOf`. */
export function detectionWindow(asOf: string, s: AlertSettings): { from: string; to: string } {
  return { from: addDays(asOf, -(s.baselineDays + s.confirmDays + s.silentDays) + 1), to: asOf };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]!
    : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 10) / 10;
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);

/** Every condition that holds for the domain now. */
export function detectAlerts(input: DetectorInput, s: AlertSettings): AlertCondition[] {
  if (!s.enabled) return [];
  const recent = daysBetween(addDays(input.asOf, -s.confirmDays + 1), input.asOf);
  const baseline = daysBetween(addDays(recent[0]!, -s.baselineDays), addDays(recent[0]!, -1));
  const found: AlertCondition[] = [
    ...passRateDrop(input, s, recent, baseline),
    ...sourceChanges(input, s, recent, baseline),
    ...silentReporters(input, s),
    ...failingSelectors(input, s, recent, baseline),
    ...reconciliationExcess(input, s, recent),
  ];
  const off = new Set<AlertKind>(s.disabled);
  return found.filter((c) => !off.has(c.kind));
}

function passRateDrop(
  input: DetectorInput,
  s: AlertSettings,
  recent: readonly string[],
  baseline: readonly string[],
): AlertCondition[] {
  const byDay = new Map(input.daily.map((d) => [d.day, d]));
  const base = baseline
    .map((d) => byDay.get(d))
    .filter((d) => d !== undefined && d.messages >= s.minDailyMessages);
  // Too little history says nothing about what is normal.
  if (base.length < 3) return [];
  const baseMessages = base.reduce((n, d) => n + d!.messages, 0);
  // The median day's rate, not the pooled one: a one-day spoofing burst in the baseline would otherwise lower
  // what counts as normal for two weeks and hide a real drop.
  const basePercent = median(base.map((d) => percent(d!.dmarcPass, d!.messages)));
  const days = recent.map((day) => byDay.get(day));
  const dropped = days.every(
    (d) =>
      d !== undefined &&
      d.messages >= s.minDailyMessages &&
      percent(d.dmarcPass, d.messages) <= basePercent - s.passRateDropPoints,
  );
  if (!dropped) return [];
  // Which source the new failures come from: the one action is to fix that source first.
  const failing = new Map<string, number>();
  for (const row of input.sources)
    if (recent.includes(row.day))
      failing.set(row.source, (failing.get(row.source) ?? 0) + row.messages - row.dmarcPass);
  const top = [...failing.entries()].sort((a, b) => b[1] - a[1])[0];
  const recentRows = days.map((d) => ({
    day: d!.day,
    messages: d!.messages,
    dmarcPass: d!.dmarcPass,
    percent: percent(d!.dmarcPass, d!.messages),
  }));
  const last = recentRows[recentRows.length - 1]!;
  return [
    {
      kind: 'dmarc.pass-rate-dropped',
      subject: '',
      severity: 'warning',
      message:
        `${input.domain}: the DMARC pass rate fell from ${basePercent}% to ${last.percent}% ` +
        `(${recentRows.length} days in a row, ${s.passRateDropPoints} points or more below normal).`,
      action:
        top === undefined
          ? `Look at the failing sources of ${input.domain} in its report view and make the largest pass DKIM.`
          : `Fix ${top[0]} first: it sent ${top[1]} of the failing messages; make it sign with DKIM for ${input.domain}, or stop it sending as ${input.domain}.`,
      evidence: {
        baselinePercent: basePercent,
        baselineDays: base.length,
        baselineMessages: baseMessages,
        recent: recentRows,
        topFailingSource: top === undefined ? null : { source: top[0], failingMessages: top[1] },
      },
    },
  ];
}

function sourceChanges(
  input: DetectorInput,
  s: AlertSettings,
  recent: readonly string[],
  baseline: readonly string[],
): AlertCondition[] {
  const bySource = new Map<string, SourceDayFigures[]>();
  for (const row of input.sources) bySource.set(row.source, [...(bySource.get(row.source) ?? []), row]);
  // A domain whose reports began days ago has no baseline: every source would look new.
  const reported = new Set(input.daily.filter((d) => d.messages > 0).map((d) => d.day));
  const history = baseline.filter((d) => reported.has(d)).length;
  const out: AlertCondition[] = [];
  for (const [source, rows] of bySource) {
    const identity = input.identities.get(source) ?? { class: 'unknown', addresses: [] };
    const perDay = new Map<string, SourceDayFigures>();
    for (const r of rows) {
      const had = perDay.get(r.day);
      perDay.set(r.day, {
        ...r,
        messages: (had?.messages ?? 0) + r.messages,
        dmarcPass: (had?.dmarcPass ?? 0) + r.dmarcPass,
      });
    }
    const recentRows = recent.map((d) => perDay.get(d));
    const everyRecent = recentRows.every((r) => r !== undefined && r.messages >= s.minSourceMessages);
    if (!everyRecent) continue;
    const baseRows = baseline.map((d) => perDay.get(d)).filter((r) => r !== undefined);
    const recentMessages = recentRows.reduce((n, r) => n + r!.messages, 0);
    const recentPass = recentRows.reduce((n, r) => n + r!.dmarcPass, 0);
    const daysShown = recentRows.map((r) => ({
      day: r!.day,
      messages: r!.messages,
      dmarcPass: r!.dmarcPass,
      percent: percent(r!.dmarcPass, r!.messages),
    }));
    const evidence = {
      source,
      class: identity.class,
      addresses: identity.addresses.slice(0, 10),
      recent: daysShown,
    };
    if (baseRows.length === 0) {
      if (identity.class === 'platform' || history < 3) continue;
      const passing = percent(recentPass, recentMessages) >= 90;
      out.push({
        kind: 'source.new',
        subject: source,
        severity: passing ? 'info' : 'warning',
        message: `${input.domain}: a new source sends as the domain: ${source} (${recentMessages} messages in ${recent.length} days, ${percent(recentPass, recentMessages)}% pass DMARC).`,
        action: passing
          ? `Confirm that you use ${source}; it authenticates as ${input.domain}, so if you do not, remove its DKIM key or SPF include from ${input.domain}.`
          : `If ${source} sends for you, set up DKIM for ${input.domain} in it; if it does not, it is spoofing you and a DMARC policy of quarantine or reject stops it.`,
        evidence: { ...evidence, firstDay: recentRows[0]!.day },
      });
      continue;
    }
    const baseMessages = baseRows.reduce((n, r) => n + r.messages, 0);
    if (baseMessages < s.minSourceMessages * 3) continue;
    const basePercent = percent(
      baseRows.reduce((n, r) => n + r.dmarcPass, 0),
      baseMessages,
    );
    const failing = daysShown.every((d) => d.percent <= basePercent - s.passRateDropPoints);
    if (!failing || basePercent < 50) continue;
    out.push({
      kind: 'source.failing',
      subject: source,
      severity: identity.class === 'platform' ? 'critical' : 'warning',
      message: `${input.domain}: ${source}, which passed DMARC (${basePercent}%), now fails: ${daysShown.map((d) => `${d.percent}% on ${d.day}`).join(', ')}.`,
      action:
        identity.class === 'platform'
          ? `Run \`senderd check ${input.domain}\` and fix what it names: senderd's own mail fails, so a DKIM record or the SPF include it publishes for ${input.domain} is missing or changed.`
          : `Restore ${source}'s authentication for ${input.domain}: its DKIM key (the CNAME or TXT it asked you to publish) or its SPF include was removed or changed.`,
      evidence: { ...evidence, baselinePercent: basePercent, baselineMessages: baseMessages },
    });
  }
  return out;
}

function silentReporters(input: DetectorInput, s: AlertSettings): AlertCondition[] {
  const days = new Map<string, Set<string>>();
  for (const r of input.reporterDays) {
    const set = days.get(r.reporter) ?? new Set<string>();
    set.add(r.day);
    days.set(r.reporter, set);
  }
  const quietSince = addDays(input.asOf, -s.silentDays + 1);
  const out: AlertCondition[] = [];
  for (const [reporter, set] of days) {
    const last = [...set].sort().at(-1)!;
    if (last >= quietSince) continue;
    const history = daysBetween(addDays(last, -s.baselineDays + 1), last);
    const reported = history.filter((d) => set.has(d)).length;
    if (reported < Math.max(5, Math.ceil(history.length * DAILY_SHARE))) continue;
    // Mail still flows when other reporters still report: otherwise the domain just stopped sending.
    const others = [...days.entries()]
      .filter(([name, other]) => name !== reporter && [...other].some((d) => d > last))
      .map(([name]) => name)
      .sort();
    if (others.length === 0) continue;
    out.push({
      kind: 'reporter.silent',
      subject: reporter,
      severity: 'warning',
      message: `${input.domain}: ${reporter} sent a report on ${reported} of ${history.length} days up to ${last}, and none since.`,
      action: `Check that the rua= address in _dmarc.${input.domain} still names senderd's report address (\`senderd check ${input.domain}\`); if you stopped mailing ${reporter}'s users, this clears itself.`,
      evidence: {
        reporter,
        lastDay: last,
        daysReported: reported,
        ofDays: history.length,
        stillReporting: others,
      },
    });
  }
  return out;
}

function failingSelectors(
  input: DetectorInput,
  s: AlertSettings,
  recent: readonly string[],
  baseline: readonly string[],
): AlertCondition[] {
  const own = (d: string) => d === input.domain || d.endsWith(`.${input.domain}`);
  const bySelector = new Map<string, SelectorDayFigures[]>();
  for (const row of input.selectors) {
    if (!own(row.signingDomain)) continue;
    const key = `${row.selector}._domainkey.${row.signingDomain}`;
    bySelector.set(key, [...(bySelector.get(key) ?? []), row]);
  }
  const out: AlertCondition[] = [];
  for (const [name, rows] of bySelector) {
    const perDay = new Map(rows.map((r) => [r.day, r]));
    const shown = recent.map((d) => perDay.get(d));
    const failing = shown.every(
      (r) =>
        r !== undefined &&
        r.messages >= s.minSourceMessages &&
        percent(r.fail, r.messages) >= SELECTOR_FAIL_PERCENT,
    );
    if (!failing) continue;
    const base = baseline.map((d) => perDay.get(d)).filter((r) => r !== undefined);
    const baseMessages = base.reduce((n, r) => n + r.messages, 0);
    const baseFail = percent(
      base.reduce((n, r) => n + r.fail, 0),
      baseMessages,
    );
    // After a rotation: the selector is new in the window (it first signed within the recent days or the
    // baseline's). A selector that signed all along and now fails is a sending source's problem, which
    // source.failing names once; naming it here too would be two alerts for one cause.
    const firstDay = rows.map((r) => r.day).sort()[0]!;
    const rotated = firstDay > (baseline[0] ?? firstDay) || base.length === 0;
    if (!rotated) continue;
    const first = rows[0]!;
    out.push({
      kind: 'dkim.selector-failing',
      subject: name,
      severity: 'critical',
      message: `${input.domain}: DKIM selector ${first.selector} (d=${first.signingDomain}), new since ${firstDay}, fails ${shown.map((r) => `${percent(r!.fail, r!.messages)}% on ${r!.day}`).join(', ')}.`,
      action: `Publish selector ${first.selector}'s key: ${name} must answer with the record of the record plan (\`senderd check ${input.domain}\` says what it answers now).`,
      evidence: {
        selector: first.selector,
        signingDomain: first.signingDomain,
        firstDay,
        baselineFailPercent: baseMessages === 0 ? null : baseFail,
        recent: shown.map((r) => ({ day: r!.day, messages: r!.messages, fail: r!.fail })),
      },
    });
  }
  return out;
}

function reconciliationExcess(
  input: DetectorInput,
  s: AlertSettings,
  recent: readonly string[],
): AlertCondition[] {
  const out = new Map<string, AlertCondition>();
  for (const row of input.reconciliation) {
    if (!recent.includes(row.day)) continue;
    const excess = row.seen - row.sent;
    if (excess < excessThreshold(row.sent, s.minSourceMessages)) continue;
    if (out.has(row.receiver)) continue;
    out.set(row.receiver, {
      kind: 'reconciliation.excess',
      subject: row.receiver,
      severity: 'critical',
      message: `${input.domain}: ${row.receiver} counted ${row.seen} messages from senderd's addresses as ${input.domain} on ${row.day}; the gateway delivered ${row.sent} there.`,
      action: `Find what else sends from senderd's egress addresses as ${input.domain} (only the gateway should) and stop it: another service on those hosts, an open relay, or mail that bypassed the gateway's log.`,
      evidence: { receiver: row.receiver, day: row.day, sent: row.sent, seen: row.seen, excess },
    });
  }
  return [...out.values()];
}

/**
 * How many more messages than were sent a receiver must count before it is an alarm: reports cut days at their
 * own boundaries (RFC 7489 §7.2 asks for UTC days, not all do), so a few messages may fall on the neighbouring day.
 */
export function excessThreshold(sent: number, floor: number): number {
  return Math.max(floor, Math.ceil(sent * 0.1));
}
