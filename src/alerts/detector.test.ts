import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FIGURES, type DailyFigures } from '../reports/index.ts';
import { addDays, daysBetween, detectAlerts, type DetectorInput, type SourceDayFigures } from './detector.ts';
import { DEFAULT_ALERT_SETTINGS, type AlertKind } from './model.ts';

const AS_OF = '2026-11-30';
const s = DEFAULT_ALERT_SETTINGS;
/** The 21 days the default settings look at, oldest first; the last two are the "recent" ones. */
const DAYS = daysBetween(addDays(AS_OF, -20), AS_OF);
const LAST = DAYS.length - 1;

const day = (d: string, messages: number, pass: number): DailyFigures => ({
  ...NO_FIGURES,
  day: d,
  reports: 2,
  messages,
  dmarcPass: pass,
});

/** A steady domain: 1000 messages a day from the platform, 98% passing, reported by two reporters daily. */
function steady(): DetectorInput {
  return {
    domain: 'example.com',
    asOf: AS_OF,
    daily: DAYS.map((d) => day(d, 1000, 980)),
    sources: DAYS.map((d) => ({ day: d, source: 'senderd', messages: 1000, dmarcPass: 980 })),
    identities: new Map([['senderd', { class: 'platform' as const, addresses: ['192.0.2.10'] }]]),
    reporterDays: DAYS.flatMap((d) => [
      { reporter: 'google.com', day: d },
      { reporter: 'yahoo', day: d },
    ]),
    selectors: DAYS.map((d) => ({
      day: d,
      signingDomain: 'example.com',
      selector: 'sd1',
      messages: 1000,
      pass: 990,
      fail: 10,
    })),
    reconciliation: DAYS.map((d) => ({ day: d, receiver: 'google.com', sent: 600, seen: 590 })),
  };
}

const kinds = (input: DetectorInput) => detectAlerts(input, s).map((c) => `${c.kind}:${c.subject}`);

const withDays = (
  input: DetectorInput,
  from: number,
  f: (d: DailyFigures) => DailyFigures,
): DetectorInput => ({
  ...input,
  daily: input.daily.map((d, i) => (i >= from ? f(d) : d)),
});

const extraSource = (
  input: DetectorInput,
  rows: SourceDayFigures[],
  cls: 'unknown' | 'platform' = 'unknown',
) => ({
  ...input,
  sources: [...input.sources, ...rows],
  identities: new Map([
    ...input.identities,
    ...rows.map((r) => [r.source, { class: cls, addresses: ['198.51.100.7'] }] as const),
  ]),
});

const cases: Array<{ name: string; input: DetectorInput; expect: string[] }> = [
  { name: 'a steady domain raises nothing', input: steady(), expect: [] },
  {
    name: 'the pass rate down 30 points on both recent days is a drop',
    input: withDays(steady(), LAST - 1, (d) => ({ ...d, dmarcPass: 680 })),
    expect: ['dmarc.pass-rate-dropped:'],
  },
  {
    name: 'a one-day blip is not a drop',
    input: withDays(steady(), LAST, (d) => ({ ...d, dmarcPass: 500 })),
    expect: [],
  },
  {
    name: 'a drop of fewer points than the threshold is not a drop',
    input: withDays(steady(), LAST - 1, (d) => ({ ...d, dmarcPass: 900 })),
    expect: [],
  },
  {
    name: 'days under the volume floor are not judged',
    input: withDays(steady(), LAST - 1, (d) => ({ ...d, messages: 40, dmarcPass: 0 })),
    expect: [],
  },
  {
    name: 'a new source on both recent days is new',
    input: extraSource(steady(), [
      { day: DAYS[LAST - 1]!, source: 'crm.example', messages: 50, dmarcPass: 0 },
      { day: DAYS[LAST]!, source: 'crm.example', messages: 60, dmarcPass: 0 },
    ]),
    expect: ['source.new:crm.example'],
  },
  {
    name: 'a new source seen on one day only is a blip',
    input: extraSource(steady(), [{ day: DAYS[LAST]!, source: 'crm.example', messages: 500, dmarcPass: 0 }]),
    expect: [],
  },
  {
    name: 'a new source with a handful of messages is noise',
    input: extraSource(steady(), [
      { day: DAYS[LAST - 1]!, source: 'crm.example', messages: 3, dmarcPass: 0 },
      { day: DAYS[LAST]!, source: 'crm.example', messages: 4, dmarcPass: 0 },
    ]),
    expect: [],
  },
  {
    name: 'in the first days of reports every source is new: none is named',
    input: {
      ...extraSource(steady(), [
        { day: DAYS[LAST - 1]!, source: 'crm.example', messages: 50, dmarcPass: 0 },
        { day: DAYS[LAST]!, source: 'crm.example', messages: 60, dmarcPass: 0 },
      ]),
      daily: steady().daily.slice(-4),
    },
    expect: [],
  },
  {
    name: 'a known source that starts failing',
    input: extraSource(
      steady(),
      DAYS.map((d, i) => ({
        day: d,
        source: 'crm.example',
        messages: 100,
        dmarcPass: i >= LAST - 1 ? 10 : 100,
      })),
    ),
    expect: ['source.failing:crm.example'],
  },
  {
    name: 'a reporter that reported daily and then stopped is silent',
    input: {
      ...steady(),
      reporterDays: steady().reporterDays.filter((r) => r.reporter !== 'yahoo' || r.day < DAYS[LAST - 3]!),
    },
    expect: ['reporter.silent:yahoo'],
  },
  {
    name: 'when every reporter stops, the domain stopped sending: nobody is silent',
    input: { ...steady(), reporterDays: steady().reporterDays.filter((r) => r.day < DAYS[LAST - 3]!) },
    expect: [],
  },
  {
    name: 'a new selector failing after a rotation',
    input: {
      ...steady(),
      selectors: [
        ...steady().selectors,
        ...[LAST - 1, LAST].map((i) => ({
          day: DAYS[i]!,
          signingDomain: 'example.com',
          selector: 'sd2',
          messages: 500,
          pass: 0,
          fail: 500,
        })),
      ],
    },
    expect: ['dkim.selector-failing:sd2._domainkey.example.com'],
  },
  {
    name: "another domain's failing selector is that source's business",
    input: {
      ...steady(),
      selectors: [LAST - 1, LAST].map((i) => ({
        day: DAYS[i]!,
        signingDomain: 'esp.example',
        selector: 's1',
        messages: 500,
        pass: 0,
        fail: 500,
      })),
    },
    expect: [],
  },
  {
    name: 'receivers counting more than was sent is an alarm',
    input: {
      ...steady(),
      reconciliation: [...steady().reconciliation, { day: AS_OF, receiver: 'yahoo', sent: 100, seen: 400 }],
    },
    expect: ['reconciliation.excess:yahoo'],
  },
  {
    name: 'a few messages over at a day boundary are no alarm',
    input: {
      ...steady(),
      reconciliation: [{ day: AS_OF, receiver: 'yahoo', sent: 1000, seen: 1040 }],
    },
    expect: [],
  },
];

for (const c of cases) {
  test(`detector: ${c.name}`, () => {
    assert.deepEqual(kinds(c.input), c.expect);
  });
}

test('detector: every condition names its evidence and one action', () => {
  const input = extraSource(
    withDays(steady(), LAST - 1, (d) => ({ ...d, dmarcPass: 600 })),
    [
      { day: DAYS[LAST - 1]!, source: 'crm.example', messages: 350, dmarcPass: 0 },
      { day: DAYS[LAST]!, source: 'crm.example', messages: 350, dmarcPass: 0 },
    ],
  );
  const found = detectAlerts(input, s);
  assert.deepEqual(found.map((c) => c.kind).sort(), ['dmarc.pass-rate-dropped', 'source.new']);
  const drop = found.find((c) => c.kind === 'dmarc.pass-rate-dropped')!;
  assert.equal(drop.evidence['baselinePercent'], 98);
  assert.deepEqual(drop.evidence['topFailingSource'], { source: 'crm.example', failingMessages: 700 });
  assert.match(drop.action, /^Fix crm\.example first/);
  for (const c of found) {
    assert.ok(c.action.length > 20, c.kind);
    assert.ok(Object.keys(c.evidence).length > 0, c.kind);
  }
});

test('detector: kinds switched off, and alerts switched off, raise nothing', () => {
  const input = withDays(steady(), LAST - 1, (d) => ({ ...d, dmarcPass: 600 }));
  const off: AlertKind[] = ['dmarc.pass-rate-dropped'];
  assert.deepEqual(detectAlerts(input, { ...s, disabled: off }), []);
  assert.deepEqual(detectAlerts(input, { ...s, enabled: false }), []);
  assert.equal(detectAlerts(input, { ...s, passRateDropPoints: 50 }).length, 0, 'a higher threshold');
});
