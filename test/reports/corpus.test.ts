/**
 * Every report of ../shared/corpus/dmarc-reports and ../shared/corpus/tls-rpt through the whole intake pipeline
 * (unwrapping, parsing, attribution, deduplication, store, roll-ups), with the figures the corpus READMEs expect.
 * Deliberate differences are listed in docs/reports.md ("Corpus").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import type { IngestOutcome } from '../../src/reports/index.ts';
import { CORPUS, openTestServices } from '../support/node.ts';

const DOMAINS = [
  'example.com',
  'example.net',
  'test.net',
  'website.com',
  'myserver.com',
  'foo-bar.io',
  'mydomain.org',
  'foobar.de',
  'random.net',
  'bix-business.com',
  'foobar.com',
  'random.org',
  'example.de',
  'ab.id.au',
  'borschow.com',
  'twlnet.com',
  'stalw.art',
  'cardinalhealth.ca',
  'company-y.example',
  'cardinal.com',
  'interpublication.org',
  'domain.de',
  'example.org',
  'indemed.com',
  'server.com',
  'xxxxxxxx.xx',
  'linkedin.com',
  'a.sender.example',
];

/** [file, outcome, kind, records, messages]: in this order, so duplicates are the later copies. */
const EXPECTED: Array<[string, 'stored' | 'duplicate' | 'quarantined', string, number?, number?]> = [
  ['dmarc-report-converter/test.xml', 'stored', 'aggregate', 2, 7],
  ['dmarc-report-converter/test.xml.gz', 'duplicate', 'aggregate'],
  ['dmarc-report-converter/test.xml.gz.gz', 'duplicate', 'aggregate'],
  ['dmarc-report-converter/test.xml.zip', 'duplicate', 'aggregate'],
  ['dmarc-report-converter/test2.xml', 'stored', 'aggregate', 2, 12],
  ['dmarc-report-viewer/acme.xml', 'stored', 'aggregate', 1, 2],
  ['dmarc-report-viewer/aol.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/gmxnet.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/google.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/hardfail.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/mailru.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/outlook.xml', 'stored', 'aggregate', 2, 3],
  ['dmarc-report-viewer/solamora.xml', 'stored', 'aggregate', 1, 2],
  ['dmarc-report-viewer/webde.xml', 'stored', 'aggregate', 1, 1],
  ['dmarc-report-viewer/yahoo.xml', 'stored', 'aggregate', 1, 1],
  ['mail-dmarc/test_dmarc.xml', 'stored', 'aggregate', 1, 1],
  ['mail-dmarc/test_dmarc.xml.gz', 'duplicate', 'aggregate'],
  ['mail-dmarc/test_dmarc.xml.zip', 'duplicate', 'aggregate'],
  ['opendmarc/163.com!example.com!1337270400!1337356799.20120518163.xml', 'stored', 'aggregate', 50, 92],
  ['opendmarc/bad.com!example.com!1337140800!1337227200.xml', 'stored', 'aggregate', 2, 268],
  ['opendmarc/good.com!example.com!1337270400!1337356799.xml', 'stored', 'aggregate', 754, 183934],
  ['opendmarc/yeah.net!example.com!1337270400!1337356799.20120518.xml', 'stored', 'aggregate', 254, 21679],
  ['parsedmarc/aggregate/!example.com!1538204542!1538463818.xml', 'stored', 'aggregate', 1, 1],
  ['parsedmarc/aggregate/!large-example.com!1711897200!1711983600.xml', 'stored', 'aggregate', 2286, 2286],
  [
    'parsedmarc/aggregate/Report domain- borschow.com Submitter- google.com Report-ID- 949348866075514174.eml',
    'stored',
    'aggregate',
    1,
    1,
  ],
  [
    'parsedmarc/aggregate/addisonfoods.com!example.com!1536105600!1536191999.xml',
    'stored',
    'aggregate',
    1,
    1,
  ],
  ['parsedmarc/aggregate/empty_reason.xml', 'stored', 'aggregate', 1, 2],
  [
    'parsedmarc/aggregate/estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip',
    'stored',
    'aggregate',
    1,
    1,
  ],
  ['parsedmarc/aggregate/example.net!example.com!1529366400!1529452799.xml', 'stored', 'aggregate', 1, 1],
  [
    'parsedmarc/aggregate/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz',
    'stored',
    'aggregate',
    1,
    1,
  ],
  ['parsedmarc/aggregate/ikea.com!example.de!1538690400!1538776800.xml', 'stored', 'aggregate', 1, 1],
  // The same report as !example.com!1538204542!1538463818.xml, with a bad byte in header_from.
  ['parsedmarc/aggregate/invalid_utf_8.xml', 'duplicate', 'aggregate'],
  ['parsedmarc/aggregate/invalid_xml.xml', 'stored', 'aggregate', 1, 1],
  ['parsedmarc/aggregate/mimecast-weird-gzip.eml', 'stored', 'aggregate', 1, 1],
  // The same report id, reporter and range as acme.xml (both are the dmarc.org wiki example).
  ['parsedmarc/aggregate/old_draft_from_wiki.xml', 'duplicate', 'aggregate'],
  [
    'parsedmarc/aggregate/protection.outlook.com!example.com!1711756800!1711843200.xml',
    'stored',
    'aggregate',
    1,
    1,
  ],
  [
    'parsedmarc/aggregate/rfc9990-example.net!example.com!1700000000!1700086399.xml',
    'stored',
    'aggregate',
    2,
    7,
  ],
  ['parsedmarc/aggregate/rfc9990-sample.xml', 'stored', 'aggregate', 1, 123],
  ['parsedmarc/aggregate/twilight.eml', 'stored', 'aggregate', 1, 1],
  ['parsedmarc/aggregate/usssa.com!example.com!1538784000!1538870399.xml', 'stored', 'aggregate', 2, 2],
  // The corrected copy of invalid_xml.xml: same reporter, id and range.
  ['parsedmarc/aggregate/veeam.com!example.com!1530133200!1530219600.xml', 'duplicate', 'aggregate'],
  ['parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml', 'stored', 'aggregate', 1, 1],
  ['parsedmarc/empty.xml', 'quarantined', 'empty'],
  ['parsedmarc/extract_report/nice-input.xml', 'stored', 'aggregate', 20, 3047],
  ['parsedmarc/extract_report/nice-input.xml.gz', 'duplicate', 'aggregate'],
  ['parsedmarc/extract_report/nice-input.xml.zip', 'duplicate', 'aggregate'],
  ['parsedmarc/extract_report/changed-input.xml', 'stored', 'aggregate', 20, 3047],
  [
    'parsedmarc/failure/DMARC Failure Report for domain.de (mail-from=sharepoint@domain.de, ip=10.10.10.10).eml',
    'stored',
    'failure',
  ],
  ['parsedmarc/failure/[Netease DMARC Failure Report] Rent Reminder.eml', 'stored', 'failure'],
  ['parsedmarc/failure/dmarc_ruf_report_linkedin.crlf.eml', 'stored', 'failure'],
  // The same report as the .crlf.eml copy, line endings aside: a failure report has no id, its content is its key.
  ['parsedmarc/failure/dmarc_ruf_report_linkedin.eml', 'duplicate', 'failure'],
  ['parsedmarc/failure/exim_plain_text_only_no_arf_part.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/arf/001.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/arf/002.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/arf/003.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/arf/004.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/arf/005.eml', 'stored', 'failure'],
  ['stalwart-mail-auth/dmarc-feedback/001.xml', 'stored', 'aggregate', 1, 123],
  ['stalwart-mail-auth/dmarc-feedback/002.xml', 'stored', 'aggregate', 1, 2],
  ['stalwart-mail-auth/dmarc-feedback/003.xml', 'stored', 'aggregate', 4, 9],
  // 004 is the RFC 9990 sample again (001 is too, with another version number).
  ['stalwart-mail-auth/dmarc-feedback/004.xml', 'duplicate', 'aggregate'],
  ['stalwart-mail-auth/dmarc-feedback/005.xml', 'stored', 'aggregate', 1, 1],
  ['stalwart-mail-auth/dmarc-feedback/100.eml', 'stored', 'aggregate', 1, 1],
  ['stalwart-mail-auth/dmarc-feedback/101.eml', 'stored', 'aggregate', 1, 1],
  ['stalwart-mail-auth/dmarc-feedback/102.eml', 'stored', 'aggregate', 1, 1],
  ['stalwart-mail-auth/dmarc-feedback/103.eml', 'stored', 'aggregate', 1, 1],
  ['stalwart-mail-auth/dmarc-feedback/104.eml', 'stored', 'aggregate', 1, 1],
];

const TLS: Array<[string, 'stored' | 'duplicate', number]> = [
  ['dmarc-report-viewer/google.json', 'stored', 1],
  ['dmarc-report-viewer/microsoft.json', 'stored', 2],
  ['dmarc-report-viewer/no-contact.json', 'stored', 1],
  ['dmarc-report-viewer/no-policy.json', 'stored', 1],
  ['dmarc-report-viewer/no_ip_and_mx.json', 'stored', 1],
  ['dmarc-report-viewer/rfc-example.json', 'stored', 1],
  ['parsedmarc/google.com_smtp_tls_report.eml', 'stored', 1],
  ['parsedmarc/mail.ru.json', 'stored', 1],
  ['parsedmarc/rfc8460.json', 'duplicate', 1],
  ['parsedmarc/smtp_tls.json', 'stored', 1],
  ['stalwart-mail-auth/rpt01.eml', 'duplicate', 2],
  ['stalwart-mail-auth/rpt01.json', 'duplicate', 2],
  ['stalwart-mail-auth/rpt02.eml', 'stored', 1],
  ['stalwart-mail-auth/rpt02.json', 'duplicate', 1],
];

async function setUp() {
  const s = await openTestServices();
  const tenant = await s.accounts.addTenant('acme');
  for (const d of DOMAINS) await s.domains.add(tenant.id, d, {});
  const ingest = async (file: string, extra: { recipients?: string[] } = {}) =>
    (
      await s.reports.ingest({
        source: createReadStream(new URL(file, CORPUS)),
        via: 'import',
        tenantId: extra.recipients === undefined ? tenant.id : null,
        name: file,
        ...extra,
      })
    ).outcomes;
  return { s, tenant, ingest };
}

function describe(o: IngestOutcome): string {
  return o.status === 'quarantined' ? `quarantined ${o.reason}` : `${o.status} ${o.kind}`;
}

test('every DMARC report of the corpus is ingested with the expected outcome and figures', async () => {
  const { s, tenant, ingest } = await setUp();
  try {
    const byDomain = new Map<string, number>();
    for (const [file, status, kind, records, messages] of EXPECTED) {
      const outcomes = await ingest(`dmarc-reports/${file}`);
      assert.equal(outcomes.length, 1, file);
      const o = outcomes[0]!;
      assert.equal(
        describe(o),
        `${status} ${kind}`,
        `${file}: ${o.status === 'quarantined' ? o.message : ''}`,
      );
      if (o.status === 'stored' && o.kind === 'aggregate') {
        assert.deepEqual([o.records, o.messages], [records, messages], file);
        byDomain.set(o.domain, (byDomain.get(o.domain) ?? 0) + o.messages);
      }
    }
    // The roll-ups agree with the reports, domain by domain.
    for (const [name, messages] of byDomain) {
      const domain = await s.domains.get(tenant.id, name);
      const daily = await s.store.reportStats.daily(domain.id, '1970-01-01', '2999-12-31');
      assert.equal(
        daily.reduce((sum, d) => sum + d.messages, 0),
        messages,
        name,
      );
    }
    // The reporter key lower-cases org_name (Outlook.com → outlook.com) and falls back to the e-mail's domain.
    const reporters = (
      await s.store.reportStats.reporters({ tenantId: tenant.id, domainId: null }, '1970-01-01', '2999-12-31')
    ).map((r) => r.reporter);
    for (const r of ['outlook.com', 'google.com', 'accurateplastics.com', 'sample reporter'])
      assert.ok(reporters.includes(r), r);
    const example = await s.domains.get(tenant.id, 'example.com');
    const borschow = await s.store.reportStats.reports(
      (await s.domains.get(tenant.id, 'borschow.com')).id,
      '1970-01-01',
      '2999-12-31',
      10,
    );
    assert.equal(borschow[0]!.reporter, 'google.com');
    // The Mimecast gzip carries two bytes after its end: forgiven, and noted.
    const mimecast = await s.store.db
      .selectFrom('reports')
      .select('details')
      .where('domain_id', '=', (await s.domains.get(tenant.id, 'ab.id.au')).id)
      .executeTakeFirstOrThrow();
    assert.match(mimecast.details ?? '', /bytes after the end of the gzip data were ignored/);
    // Upper-cased PASS counts as an aligned pass.
    const upper = await s.store.db
      .selectFrom('report_records')
      .innerJoin('reports', 'reports.id', 'report_records.report_id')
      .select(['report_records.dkim_aligned', 'report_records.spf_aligned', 'report_records.disposition'])
      .where('reports.external_id', '=', 'aggr_report_example.com_20191202_1638')
      .execute();
    assert.deepEqual(
      upper.map((r) => ({ ...r })),
      [{ dkim_aligned: 1, spf_aligned: 1, disposition: 'none' }],
    );
    assert.ok((await s.store.reportStats.selectors(example.id, '1970-01-01', '2999-12-31')).length > 0);
  } finally {
    await s.close();
  }
});

test('a report with no records is stored (dmarc-report-converter/test_empty.xml)', async () => {
  const { s, ingest } = await setUp();
  try {
    const [o] = await ingest('dmarc-reports/dmarc-report-converter/test_empty.xml');
    assert.equal(o!.status, 'stored');
    assert.equal(o!.status === 'stored' ? o!.records : -1, 0);
  } finally {
    await s.close();
  }
});

interface StalwartArf {
  feedback_type: string;
  auth_failure: string;
  source_ip: string | null;
  reported_domain: string[];
  user_agent: string | null;
  dkim_domain: string | null;
  arrival_date: number | null;
}

test('failure reports: the fields parsedmarc and Stalwart expect, and nothing personal kept', async () => {
  const { s, tenant, ingest } = await setUp();
  try {
    for (const [file] of EXPECTED.filter(([, , kind]) => kind === 'failure'))
      await ingest(`dmarc-reports/${file}`);
    const rows = await s.store.db
      .selectFrom('failure_reports')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .execute();
    assert.equal(rows.length, 9, 'ten files, one of them a copy of another with CRLF line endings');
    const all = rows.map((r) => r.details).join('\n');
    // No local part survives: every address is [redacted]@domain, no body, no subject.
    const addresses = all.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [];
    assert.deepEqual(
      addresses.filter((a) => !a.startsWith('[redacted]') && !a.startsWith('redacted]')),
      [],
    );
    assert.doesNotMatch(all, /Rent Reminder|Payment from your account|Spam Spam|Wir kaufen/);
    const exim = rows.find((r) => r.details.includes('203.0.113.68'));
    assert.ok(exim !== undefined);
    assert.equal(exim.feedback_type, 'auth-failure');
    assert.equal(exim.source_ip, '203.0.113.68');
    for (const n of ['001', '002', '003', '004', '005']) {
      const expected = JSON.parse(
        readFileSync(new URL(`dmarc-reports/stalwart-mail-auth/arf/${n}.json`, CORPUS), 'utf8'),
      ) as StalwartArf;
      // Ingested above already: the same report again is a duplicate that names the stored one.
      const [o] = await ingest(`dmarc-reports/stalwart-mail-auth/arf/${n}.eml`);
      assert.equal(o!.status, 'duplicate', n);
      const row = await s.store.db
        .selectFrom('failure_reports')
        .select('details')
        .where('id', '=', o!.status === 'duplicate' ? o!.id : '')
        .executeTakeFirstOrThrow();
      const got = JSON.parse(row.details) as {
        feedbackType: string;
        authFailure: string[];
        sourceIp: string | null;
        reportedDomain: string[];
        userAgent: string | null;
        dkimDomain: string | null;
        arrivalDate: string | null;
      };
      assert.equal(
        got.feedbackType,
        expected.feedback_type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(),
        n,
      );
      if (expected.auth_failure !== 'Unspecified')
        assert.deepEqual(got.authFailure, [expected.auth_failure.toLowerCase()], n);
      assert.equal(got.sourceIp, expected.source_ip, n);
      assert.deepEqual(got.reportedDomain, expected.reported_domain, n);
      assert.equal(got.userAgent, expected.user_agent, n);
      assert.equal(got.dkimDomain, expected.dkim_domain, n);
      assert.equal(
        got.arrivalDate === null ? null : Date.parse(got.arrivalDate) / 1000,
        expected.arrival_date,
        n,
      );
    }
  } finally {
    await s.close();
  }
});

test('every TLS-RPT report of the corpus is ingested, optional fields optional', async () => {
  const { s, tenant, ingest } = await setUp();
  try {
    for (const [file, status, policies] of TLS) {
      const [o, ...rest] = await ingest(`tls-rpt/${file}`);
      assert.equal(rest.length, 0, file);
      assert.equal(
        describe(o!),
        `${status} tlsrpt`,
        `${file}: ${o!.status === 'quarantined' ? o!.message : ''}`,
      );
      if (o!.status === 'stored') assert.equal(o!.records, policies, file);
    }
    // rpt03 names no policy domain at all: only the rua token of the address it came to can attribute it.
    const domain = await s.domains.get(tenant.id, 'example.org');
    const [viaToken] = await ingest('tls-rpt/stalwart-mail-auth/rpt03.json', {
      recipients: [`${domain.token}@${s.platform.reportsHost}`],
    });
    assert.equal(describe(viaToken!), 'stored tlsrpt');
    const google = await s.store.db
      .selectFrom('reports')
      .select(['external_id', 'details'])
      .where('external_id', '=', '2024-09-03T00:00:00Z_cardinalhealth.ca')
      .executeTakeFirstOrThrow();
    assert.equal((JSON.parse(google.details!) as { policies: unknown[] }).policies.length, 1);
    // Session counts reach the daily roll-up.
    const company = await s.domains.get(tenant.id, 'company-y.example');
    const daily = await s.store.reportStats.daily(company.id, '1970-01-01', '2999-12-31');
    assert.deepEqual([daily[0]!.tlsSuccessful, daily[0]!.tlsFailed], [5326, 303]);
  } finally {
    await s.close();
  }
});
