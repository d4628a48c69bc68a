/**
 * Customer zones with deliberate mistakes, served by real NSD and Knot on loopback behind a fake root, checked
 * through both paths (the delegation from the root, and Unbound as the recursive resolver). Each mistake must be
 * found with the right grade and remark, and a correct set-up must grade perfect, in both modes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainCheck, Grade } from '../../src/checks/index.ts';
import { cryptoRandom } from '../../src/core/index.ts';
import type { RecordPlan } from '../../src/domains/index.ts';
import { StubResolver } from '../../src/resolver/index.ts';
import { startDnsTree, type DnsTree, type ServerId, type ZoneSpec } from './dns-tree.ts';
import {
  body,
  customerLines,
  dkimRecord,
  planFor,
  platformZone,
  PLATFORM,
  tokenFor,
  txt,
  type Line,
  checkInTree,
} from './scenario.ts';

interface Expect {
  readonly grade: Grade;
  readonly codes?: readonly string[];
}
interface Scenario {
  readonly domain: string;
  readonly title: string;
  readonly mode?: 'delegated' | 'self-hosted';
  /** The zone's origin when the sender domain is below it. */
  readonly origin?: string;
  readonly key?: 'ours' | 'semicolon';
  readonly mutate?: (lines: Line[], plan: RecordPlan) => Line[];
  readonly servers?: readonly ServerId[];
  readonly ns?: readonly string[];
  readonly broken?: boolean;
  readonly ns2Mutate?: (lines: Line[], plan: RecordPlan) => Line[];
  readonly expect: Readonly<Record<string, Expect>>;
  /** The grade of every record not in `expect` (default perfect). */
  readonly others?: Grade;
  readonly grade?: Grade;
  readonly verified?: boolean;
  readonly zoneRemark?: string;
}

const KEY = dkimRecord();
const OTHER_KEY = dkimRecord();
const Z = PLATFORM.zone;
const without = (name: string) => (lines: Line[]) => lines.filter((l) => l.name !== name);
const replace = (name: string, type: string, value: string) => (lines: Line[]) =>
  lines.map((l) => (l.name === name && l.type === type ? { ...l, value } : l));
const keyOnly = (record: string) => record.slice(record.indexOf('p=') + 2);

const SCENARIOS: Scenario[] = [
  {
    domain: 'good.com',
    title: 'a correct delegated set-up is perfect',
    key: 'ours',
    expect: {},
    grade: 'perfect',
    verified: true,
  },
  {
    domain: 'good-self.com',
    title: 'a correct self-hosted set-up is perfect',
    mode: 'self-hosted',
    key: 'ours',
    expect: {},
    grade: 'perfect',
    verified: true,
  },
  {
    domain: 'caps.com',
    title: 'CNAME targets in upper case with a trailing dot are the same name',
    key: 'ours',
    mutate: (lines) => lines.map((l) => (l.type === 'CNAME' ? { ...l, value: l.value.toUpperCase() } : l)),
    expect: {},
    grade: 'perfect',
  },
  {
    domain: 'deleg.com',
    title: 'a delegated _domainkey zone is followed (Postal fails this)',
    key: 'ours',
    mutate: (lines) => [
      ...lines.filter((l) => !l.name.includes('_domainkey')),
      { name: '_domainkey', type: 'NS', value: 'ns2.dnshost.net.' },
    ],
    expect: {},
    grade: 'perfect',
  },
  {
    domain: 'doubled.com',
    title: 'the domain doubled: _dmarc.doubled.com.doubled.com',
    mutate: (lines) => lines.map((l) => (l.name === '_dmarc' ? { ...l, name: '_dmarc.doubled.com' } : l)),
    expect: { dmarc: { grade: 'error', codes: ['domain-doubled', 'missing'] } },
  },
  {
    domain: 'wrongname.com',
    title: 'a DKIM CNAME without ._domainkey',
    mutate: (lines) => lines.map((l) => (l.name === 'sd1._domainkey' ? { ...l, name: 'sd1' } : l)),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['wrong-name', 'missing'] } },
  },
  {
    domain: 'underscore.com',
    title: 'a DNS host that refuses underscores: suggest self-hosted mode',
    mutate: (lines) => lines.filter((l) => !l.name.includes('_')),
    expect: {
      'dkim:sd1': { grade: 'error', codes: ['missing', 'underscores-refused'] },
      'dkim:sd2': { grade: 'error', codes: ['missing', 'underscores-refused'] },
      'dkim:sd3': { grade: 'error', codes: ['missing', 'underscores-refused'] },
      dmarc: { grade: 'error', codes: ['missing', 'underscores-refused'] },
    },
    verified: false,
  },
  {
    domain: 'stripped.com',
    title: 'an underscore stripped by the DNS host',
    mutate: (lines) => lines.map((l) => (l.name === '_dmarc' ? { ...l, name: 'dmarc' } : l)),
    expect: { dmarc: { grade: 'error', codes: ['underscore-stripped', 'missing'] } },
  },
  {
    domain: 'othertoken.com',
    title: "CNAMEs to another domain's token do not verify",
    mutate: (lines) =>
      lines.map((l) =>
        (l.type === 'CNAME' && l.value.includes('.dkim.')) || l.name === '_dmarc'
          ? { ...l, value: l.value.replace(tokenFor('othertoken.com'), tokenFor('good.com')) }
          : l,
      ),
    expect: {
      dmarc: { grade: 'error', codes: ['cname-other-token'] },
      'dkim:sd1': { grade: 'error', codes: ['cname-other-token'] },
      'dkim:sd2': { grade: 'error', codes: ['cname-other-token'] },
      'dkim:sd3': { grade: 'error', codes: ['cname-other-token'] },
    },
    verified: false,
  },
  {
    domain: 'flattened.com',
    title: 'a flattened CNAME (identical data instead of the CNAME) is ok, with a remark',
    mutate: (lines, plan) =>
      lines.map((l) =>
        l.name === '_dmarc'
          ? { ...l, type: 'TXT', value: txt(hostedText(plan, `${plan.token}.dmarc.${Z}`)) }
          : l,
      ),
    expect: { dmarc: { grade: 'ok', codes: ['cname-flattened'] } },
    grade: 'ok',
  },
  {
    domain: 'blocked.com',
    title: 'a CNAME beside other data: the bounce host already has an MX',
    mutate: (lines) => [
      ...without('bounce')(lines),
      { name: 'bounce', type: 'MX', value: '10 mx.other.org.' },
    ],
    expect: { bounce: { grade: 'error', codes: ['cname-blocked-by-other-data'] } },
  },
  {
    domain: 'news.apexcname.com',
    origin: 'apexcname.com',
    title: 'a CNAME at the sender domain itself',
    mutate: (lines) => [
      ...lines.filter((l) => l.name !== 'news'),
      { name: 'news', type: 'CNAME', value: 'elsewhere.org.' },
    ],
    expect: { spf: { grade: 'error', codes: ['cname-at-apex'] } },
  },
  {
    domain: 'targetdoubled.com',
    title: 'a CNAME target with the domain appended by the DNS host',
    mutate: replace('clicks', 'CNAME', `track.${Z}.targetdoubled.com.`),
    expect: { tracking: { grade: 'error', codes: ['cname-target-doubled'] } },
  },
  {
    domain: 'spf2.com',
    title: 'two SPF records',
    mutate: (lines) => [...lines, { name: '@', type: 'TXT', value: txt('v=spf1 mx -all') }],
    expect: { spf: { grade: 'error', codes: ['spf-multiple'] } },
  },
  {
    domain: 'spfsyntax.com',
    title: 'an SPF syntax error',
    mutate: (lines, plan) =>
      replace('@', 'TXT', txt(`v=spf1 include:${plan.token}.spf.${Z} ip4:192.0.2.300 ~all`))(lines),
    expect: { spf: { grade: 'error', codes: ['spf-syntax'] } },
  },
  {
    domain: 'spfnoinclude.com',
    title: "SPF that does not authorise senderd's addresses",
    mutate: replace('@', 'TXT', txt('v=spf1 mx ~all')),
    expect: { spf: { grade: 'error', codes: ['spf-egress-fails'] } },
  },
  {
    domain: 'spflookups.com',
    title: 'SPF over the 10-lookup limit (passes for senderd, permerror for others)',
    mutate: (lines, plan) => [
      ...replace(
        '@',
        'TXT',
        txt(
          `v=spf1 include:${plan.token}.spf.${Z} ${Array.from({ length: 10 }, (_, i) => `a:h${i}.spflookups.com`).join(' ')} ~all`,
        ),
      )(lines),
      ...Array.from({ length: 10 }, (_, i) => ({ name: `h${i}`, type: 'A', value: `198.51.100.${i + 1}` })),
    ],
    expect: { spf: { grade: 'error', codes: ['spf-too-many-lookups'] } },
  },
  {
    domain: 'spfvoid.com',
    title: 'SPF over the 2-void-lookup limit',
    mutate: (lines, plan) =>
      replace(
        '@',
        'TXT',
        txt(`v=spf1 a:n1.spfvoid.com a:n2.spfvoid.com a:n3.spfvoid.com include:${plan.token}.spf.${Z} ~all`),
      )(lines),
    expect: { spf: { grade: 'error', codes: ['spf-too-many-void-lookups'] } },
  },
  {
    domain: 'spfmacro.com',
    title: 'SPF with macros and redirect that passes is perfect (Postal fails this)',
    mutate: (lines, plan) => [
      ...replace('@', 'TXT', txt('v=spf1 exists:%{i}._ip.spfmacro.com redirect=_spf.spfmacro.com'))(lines),
      { name: '192.0.2.10._ip', type: 'A', value: '127.0.0.2' },
      { name: '_spf', type: 'TXT', value: txt(`v=spf1 include:${plan.token}.spf.${Z} -all`) },
    ],
    expect: { spf: { grade: 'perfect', codes: ['spf-macros', 'spf-redirect'] } },
  },
  {
    domain: 'spfloop.com',
    title: 'an SPF include loop',
    mutate: replace('@', 'TXT', txt('v=spf1 include:spfloop.com ~all')),
    expect: { spf: { grade: 'error', codes: ['spf-loop'] } },
  },
  {
    domain: 'spfpassall.com',
    title: 'SPF +all',
    mutate: replace('@', 'TXT', txt('v=spf1 +all')),
    expect: { spf: { grade: 'error', codes: ['spf-pass-all'] } },
  },
  {
    domain: 'spfquotes.com',
    title: 'an SPF record with stray quotes',
    mutate: (lines, plan) => replace('@', 'TXT', `"\\"v=spf1 include:${plan.token}.spf.${Z} ~all\\""`)(lines),
    expect: { spf: { grade: 'error', codes: ['stray-quotes'] } },
  },
  {
    domain: 'dkimtrunc.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a DKIM key cut at 255 characters (an unsplit long string)',
    mutate: (lines) => replace('sd1._domainkey', 'TXT', `"${KEY.slice(0, 255)}"`)(lines),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['string-truncated-at-255'] } },
  },
  {
    domain: 'dkimmulti.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a DKIM key split across two TXT records',
    mutate: (lines) => [
      ...without('sd1._domainkey')(lines),
      { name: 'sd1._domainkey', type: 'TXT', value: `"${KEY.slice(0, 200)}"` },
      { name: 'sd1._domainkey', type: 'TXT', value: `"${KEY.slice(200)}"` },
    ],
    expect: { 'dkim:sd1': { grade: 'error', codes: ['dkim-split-across-records'] } },
  },
  {
    domain: 'dkimempty.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'an empty p= (a revoked key)',
    mutate: replace('sd1._domainkey', 'TXT', '"v=DKIM1; k=rsa; p="'),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['dkim-revoked'] } },
    verified: true,
  },
  {
    domain: 'dkimquotes.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a DKIM value with stray quotes inside',
    mutate: (lines) =>
      replace('sd1._domainkey', 'TXT', `"\\"${KEY.slice(0, 200)}\\"" "\\"${KEY.slice(200)}\\""`)(lines),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['stray-quotes'] } },
  },
  {
    domain: 'dkimwrong.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a different DKIM key',
    mutate: (lines) => replace('sd1._domainkey', 'TXT', txt(OTHER_KEY))(lines),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['dkim-key-mismatch'] } },
  },
  {
    domain: 'dkimtwice.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a DKIM record with p= twice, ours last (RFC 6376 §3.2: the whole record is invalid)',
    mutate: (lines) =>
      replace(
        'sd1._domainkey',
        'TXT',
        txt(`v=DKIM1; k=rsa; p=${keyOnly(OTHER_KEY)}; p=${keyOnly(KEY)}`),
      )(lines),
    expect: { 'dkim:sd1': { grade: 'error', codes: ['dkim-duplicate-tag'] } },
  },
  {
    domain: 'dkimsplit.com',
    mode: 'self-hosted',
    key: 'ours',
    title: 'a DKIM key split at odd places, with spaces inside p=, is perfect',
    mutate: (lines) =>
      replace(
        'sd1._domainkey',
        'TXT',
        `"v=DKIM1; k=rsa; p=${keyOnly(KEY).slice(0, 100)}" " ${keyOnly(KEY).slice(100, 333)}" "${keyOnly(KEY).slice(333)}"`,
      )(lines),
    expect: {},
    grade: 'perfect',
  },
  {
    domain: 'semicolon.com',
    mode: 'self-hosted',
    key: 'semicolon',
    title: 'a stripped trailing ";" is harmless: ok',
    mutate: (lines) => replace('sd1._domainkey', 'TXT', txt(KEY))(lines),
    expect: { 'dkim:sd1': { grade: 'ok', codes: ['trailing-semicolon'] } },
  },
  {
    domain: 'dmarc2.com',
    mode: 'self-hosted',
    title: 'two DMARC records',
    mutate: (lines) => [...lines, { name: '_dmarc', type: 'TXT', value: txt('v=DMARC1; p=reject') }],
    expect: { dmarc: { grade: 'error', codes: ['dmarc-multiple'] } },
  },
  {
    domain: 'dmarctags.com',
    mode: 'self-hosted',
    title: 'DMARC with an unknown tag (warning) and legacy pct/rf/ri (notes); np/psd/t understood',
    mutate: (lines, plan) =>
      replace(
        '_dmarc',
        'TXT',
        txt(
          `v=DMARC1; p=none; rua=mailto:${plan.token}@${PLATFORM.reportsHost}; pct=50; rf=afrf; ri=86400; np=reject; psd=n; t=y; foo=bar`,
        ),
      )(lines),
    expect: { dmarc: { grade: 'ok', codes: ['dmarc-unknown-tag', 'dmarc-legacy-tag'] } },
  },
  {
    domain: 'dmarcrua.com',
    mode: 'self-hosted',
    title: 'a third-party rua without its _report._dmarc authorisation',
    mutate: (lines, plan) =>
      replace(
        '_dmarc',
        'TXT',
        txt(`v=DMARC1; p=none; rua=mailto:${plan.token}@${PLATFORM.reportsHost},mailto:d@thirdparty.org`),
      )(lines),
    expect: { dmarc: { grade: 'ok', codes: ['dmarc-rua-unauthorised'] } },
  },
  {
    domain: 'dmarcnorua.com',
    mode: 'self-hosted',
    title: "DMARC without senderd's rua",
    mutate: replace('_dmarc', 'TXT', txt('v=DMARC1; p=none')),
    expect: { dmarc: { grade: 'error', codes: ['dmarc-rua-missing'] } },
  },
  {
    domain: 'mxwrong.com',
    mode: 'self-hosted',
    title: 'the bounce MX pointing elsewhere',
    mutate: replace('bounce', 'MX', '10 mx.other.org.'),
    expect: { 'bounce-mx': { grade: 'error', codes: ['mx-wrong-host'] } },
  },
  {
    domain: 'clickwrong.com',
    title: 'the click host pointing to another host',
    mutate: replace('clicks', 'CNAME', 'tracking.other.org.'),
    expect: { tracking: { grade: 'error', codes: ['cname-wrong-target'] } },
  },
  {
    domain: 'timeout.com',
    title: 'a timeout is temperror, not missing',
    ns: ['ns1.blackhole.net.'],
    servers: [],
    expect: {},
    others: 'temperror',
    grade: 'temperror',
  },
  {
    domain: 'broken.com',
    title: 'SERVFAIL is temperror',
    broken: true,
    expect: {},
    others: 'temperror',
    grade: 'temperror',
  },
  {
    domain: 'lame.com',
    title: 'a lame delegation',
    ns: ['ns2.dnshost.net.'],
    servers: [],
    expect: {},
    others: 'error',
    grade: 'error',
  },
  {
    domain: 'halflame.com',
    title: 'one of two nameservers lame',
    ns: ['ns1.dnshost.net.', 'ns2.dnshost.net.'],
    servers: ['ns1'],
    expect: {},
    zoneRemark: 'lame-server',
  },
  {
    domain: 'stale.com',
    title: 'a secondary serving a stale copy',
    key: 'ours',
    servers: ['ns1', 'ns2'],
    ns2Mutate: without('_dmarc'),
    expect: { dmarc: { grade: 'ok', codes: ['servers-disagree'] } },
  },
];

function hostedText(plan: RecordPlan, name: string): string {
  const r = plan.hosted.find((h) => h.name === name && h.data.type === 'TXT');
  return r !== undefined && r.data.type === 'TXT' ? r.data.text : '';
}

let tree: DnsTree;
let resolver: StubResolver;
const plans = new Map<string, RecordPlan>();

before(async () => {
  const zones: ZoneSpec[] = [];
  for (const s of SCENARIOS) {
    const key = s.key === 'ours' ? KEY : s.key === 'semicolon' ? `${KEY};` : null;
    const plan = planFor(s.domain, s.mode ?? 'delegated', key);
    plans.set(s.domain, plan);
    const origin = s.origin ?? s.domain;
    let lines = customerLines(plan, origin);
    if (s.mutate) lines = s.mutate(lines, plan);
    const ns2 = s.ns2Mutate ? s.ns2Mutate(customerLines(plan, origin), plan) : undefined;
    zones.push({
      origin,
      body: body(lines),
      servers: s.servers ?? ['ns1'],
      ...(s.ns ? { ns: s.ns } : {}),
      ...(s.broken ? { broken: true } : {}),
      ...(ns2 ? { ns2Body: body(ns2) } : {}),
    });
  }
  // The delegated _domainkey zone of deleg.com, on the second server.
  const deleg = plans.get('deleg.com')!;
  zones.push({
    origin: '_domainkey.deleg.com',
    body: body(
      customerLines(deleg, 'deleg.com')
        .filter((l) => l.name.includes('_domainkey'))
        .map((l) => ({ ...l, name: l.name.replace('._domainkey', '') })),
    ),
    servers: ['ns2'],
  });
  zones.push({ origin: 'thirdparty.org', body: '', servers: ['ns1'] });
  zones.push({
    origin: 'other.org',
    body: 'mx 300 IN A 192.0.2.99\ntracking 300 IN A 192.0.2.98',
    servers: ['ns1'],
  });
  zones.push({ origin: 'elsewhere.org', body: '@ 300 IN TXT "v=spf1 -all"', servers: ['ns1'] });
  zones.push(platformZone([...plans.values()]));
  tree = await startDnsTree(zones, { unbound: true });
  resolver = new StubResolver({ timeoutMs: 400, attempts: 2, random: cryptoRandom });
});

after(async () => {
  resolver?.close();
  await tree?.stop();
});

function run(domain: string): Promise<DomainCheck> {
  return checkInTree(plans.get(domain)!, tree, resolver);
}

function describe(check: DomainCheck): string {
  return check.records
    .map((r) => `  ${r.key} ${r.grade}: ${r.remarks.map((m) => `${m.code}(${m.severity})`).join(' ')}`)
    .join('\n');
}

test('the scenarios hold at least 20 deliberate mistakes', () => {
  const mistakes = SCENARIOS.filter(
    (s) => Object.values(s.expect).some((e) => e.grade !== 'perfect') || s.others || s.zoneRemark,
  );
  assert.ok(mistakes.length >= 20, `${mistakes.length} mistakes`);
});

for (const s of SCENARIOS) {
  test(`${s.domain}: ${s.title}`, async () => {
    const check = await run(s.domain);
    const info = `\n${describe(check)}\nzone: ${JSON.stringify(check.zone)}\n${process.env.DEBUG_CHECK ? JSON.stringify(check.records, null, 1) : ''}`;
    for (const record of check.records) {
      const want = s.expect[record.key];
      if (want === undefined) {
        assert.equal(
          record.grade,
          s.others ?? 'perfect',
          `${record.key} should be ${s.others ?? 'perfect'}${info}`,
        );
        continue;
      }
      assert.equal(record.grade, want.grade, `${record.key}${info}`);
      for (const code of want.codes ?? [])
        assert.ok(
          record.remarks.some((m) => m.code === code),
          `${record.key} lacks ${code}${info}`,
        );
    }
    for (const key of Object.keys(s.expect))
      assert.ok(
        check.records.some((r) => r.key === key),
        `no record ${key}${info}`,
      );
    if (s.grade !== undefined) assert.equal(check.grade, s.grade, info);
    if (s.verified !== undefined) assert.equal(check.verification.verified, s.verified, info);
    if (s.zoneRemark !== undefined)
      assert.ok(
        check.zone.remarks.some((m) => m.code === s.zoneRemark),
        info,
      );
    for (const record of check.records)
      for (const m of record.remarks)
        assert.ok(m.message.length > 10 && !m.message.includes('undefined'), `${m.code}: ${m.message}`);
  });
}
