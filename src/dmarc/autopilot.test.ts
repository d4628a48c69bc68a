import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, DEFAULT_AUTOPILOT, type AutopilotDecision } from './autopilot.ts';
import type { SourceEvidence, WindowEvidence } from './evidence.ts';
import { mergeWindows } from './evidence.ts';

/**
 * The autopilot over synthetic report streams: each scenario says what every source sent on every day; the
 * simulation asks the autopilot once a day, as the scheduler does, and applies its decision.
 */
type Day = (day: number) => SourceEvidence[];

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (day: number) => new Date(T0 + day * DAY).toISOString();
const settings = { ...DEFAULT_AUTOPILOT, enabled: true };

function src(
  ip: string,
  cls: SourceEvidence['class'],
  messages: number,
  pass: number,
  authUnaligned = 0,
  name: string | null = null,
): SourceEvidence {
  return {
    ip,
    class: cls,
    reverseName: name,
    messages,
    dmarcPass: pass,
    authenticatedUnaligned: authUnaligned,
  };
}

const platform: Day = () => [
  src('192.0.2.10', 'platform', 600, 599),
  src('192.0.2.11', 'platform', 400, 400),
];

function windowOf(stream: Day, fromDay: number, toDay: number): WindowEvidence {
  let w: WindowEvidence = { from: iso(fromDay), to: iso(toDay), reporters: [], sources: [] };
  for (let d = Math.max(0, fromDay); d < toDay; d++) {
    w = mergeWindows(w, {
      from: iso(d),
      to: iso(d + 1),
      reporters: ['google.com', 'outlook.com', 'yahoo.com'],
      sources: stream(d),
    });
  }
  return w;
}

function simulate(
  stream: Day,
  days: number,
): { step: number; decisions: Array<AutopilotDecision & { day: number }> } {
  let step = 0;
  let lastChange = 0;
  const decisions: Array<AutopilotDecision & { day: number }> = [];
  for (let day = 1; day <= days; day++) {
    const decision = decide({
      step,
      lastChangeAt: iso(lastChange),
      now: iso(day),
      previous: windowOf(stream, day - settings.windowDays, day - settings.rollbackDays),
      recent: windowOf(stream, day - settings.rollbackDays, day),
      settings,
    });
    decisions.push({ ...decision, day });
    if (decision.toStep !== step) {
      step = decision.toStep;
      lastChange = day;
    }
  }
  return { step, decisions };
}

const moves = (d: Array<AutopilotDecision & { day: number }>, action: AutopilotDecision['action']) =>
  d.filter((x) => x.action === action);

test('a clean sender advances one step per window, all the way to reject 100%', () => {
  const { step, decisions } = simulate(platform, 100);
  assert.equal(step, 12);
  const advances = moves(decisions, 'advance');
  assert.equal(advances.length, 12);
  for (let i = 1; i < advances.length; i++)
    assert.ok(advances[i]!.day - advances[i - 1]!.day >= settings.windowDays);
  assert.equal(moves(decisions, 'rollback').length, 0);
  for (const a of advances)
    assert.ok(
      a.checks.every((c) => c.ok),
      'an advance with a failed check',
    );
});

test('a shadow-IT source (authenticated, not aligned) holds the ladder, and says who', () => {
  const stream: Day = (d) => [
    ...platform(d),
    src('198.51.100.7', 'unknown', 80, 0, 80, 'mta.crm-vendor.example'),
  ];
  const { step, decisions } = simulate(stream, 60);
  assert.equal(step, 0);
  const last = decisions[decisions.length - 1]!;
  assert.equal(last.action, 'hold');
  assert.match(last.reason, /mta\.crm-vendor\.example authenticates but is not aligned/);
  assert.deepEqual(
    last.checks
      .filter((c) => !c.ok)
      .map((c) => c.name)
      .sort(),
    ['compliant-share', 'unknown-source'],
  );
});

test("a forwarder's failures are tolerated", () => {
  const stream: Day = (d) => [
    ...platform(d),
    src('203.0.113.50', 'forwarder', 300, 40, 0, 'forward.list.example'),
  ];
  const { step } = simulate(stream, 100);
  assert.equal(step, 12);
});

test('a spoofing burst from unknown sources does not block the ladder', () => {
  const stream: Day = (d) => [
    ...platform(d),
    ...(d >= 20 && d < 24
      ? Array.from({ length: 20 }, (_, i) => src(`203.0.113.${100 + i}`, 'unknown' as const, 500, 0))
      : []),
  ];
  const { step, decisions } = simulate(stream, 100);
  assert.equal(step, 12);
  // During the burst the spoofed mail is ten times the real mail, and still nothing holds for it.
  const during = decisions.filter((d) => d.day >= 21 && d.day <= 26);
  assert.ok(
    during.every((d) => d.action !== 'hold' || d.checks.find((c) => c.name === 'dwell')?.ok === false),
  );
});

test("a sudden failure of the platform's own mail rolls it back, and it does not advance while it fails", () => {
  const broken = 45;
  const stream: Day = (d) =>
    d < broken
      ? platform(d)
      : [src('192.0.2.10', 'platform', 600, 150), src('192.0.2.11', 'platform', 400, 100)];
  const { decisions } = simulate(stream, 70);
  const stepBefore = decisions.find((d) => d.day === broken)!.fromStep;
  assert.ok(stepBefore >= 5, `the ladder should have climbed before the failure (was at ${stepBefore})`);
  const rollbacks = moves(decisions, 'rollback');
  assert.ok(rollbacks.length >= 1);
  assert.ok(
    rollbacks[0]!.day <= broken + 1,
    `rolled back on day ${rollbacks[0]!.day}, the failure began on day ${broken}`,
  );
  assert.match(
    rollbacks[0]!.reason,
    /^Stepped back: platform mail passed DMARC at 99\.\d% and now at \d+\.\d%/,
  );
  assert.equal(
    moves(
      decisions.filter((d) => d.day > broken),
      'advance',
    ).length,
    0,
  );
});

test('too little volume, or too few reporters, holds with a reason', () => {
  const quiet: Day = () => [src('192.0.2.10', 'platform', 5, 5)];
  const { step, decisions } = simulate(quiet, 20);
  assert.equal(step, 0);
  assert.match(decisions[decisions.length - 1]!.reason, /35 messages reported \(need 100\)/);
});

test('one spike steps back once: ticks on the same reports hold instead of walking the ladder down', () => {
  const failing: Day = () => [src('192.0.2.10', 'platform', 600, 60), src('192.0.2.11', 'platform', 400, 40)];
  const stream: Day = (d) => (d < 20 ? platform(d) : failing(d));
  const previous = windowOf(stream, 15, 20);
  const recent = windowOf(stream, 20, 22);
  let step = 12;
  let lastChangeAt = iso(10);
  const actions: string[] = [];
  // Hourly ticks over the 22nd day, as the scheduler runs them, all on the same reports.
  for (let hour = 0; hour < 24; hour++) {
    const now = new Date(T0 + 22 * DAY + hour * 3_600_000).toISOString();
    const d = decide({ step, lastChangeAt, now, previous, recent, settings });
    actions.push(d.action);
    if (d.toStep !== step) {
      step = d.toStep;
      lastChangeAt = now;
    }
    if (hour > 0) assert.ok(d.checks.some((c) => c.name === 'rollback-settle' && !c.ok));
  }
  assert.equal(step, 11);
  assert.deepEqual(
    actions,
    ['rollback', ...Array<string>(23).fill('hold')],
    'exactly one step back for one spike',
  );
});

test('with no reports at all, the hold says there is no mail, not that 0.0% of it passes', () => {
  const { step, decisions } = simulate(() => [], 10);
  assert.equal(step, 0);
  const reason = decisions[decisions.length - 1]!.reason;
  assert.match(reason, /no legitimate-looking mail in the reports/);
  assert.doesNotMatch(reason, /0\.0% of legitimate-looking mail passes/);
});
