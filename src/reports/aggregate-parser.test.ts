import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AggregateParser } from './aggregate-parser.ts';
import type { AggregateHeader, AggregateRecord } from './model.ts';
import { isRefusal } from './refusal.ts';
import { XmlTextDecoder } from './xml-text-decoder.ts';

const CORPUS = new URL('../../../shared/corpus/dmarc-reports/', import.meta.url);

function parse(
  file: string,
  step = 1 << 20,
): { header: AggregateHeader; records: AggregateRecord[]; parser: AggregateParser } {
  const bytes = readFileSync(new URL(file, CORPUS));
  const parser = new AggregateParser();
  const decoder = new XmlTextDecoder();
  const records: AggregateRecord[] = [];
  for (let i = 0; i < bytes.length; i += step) {
    parser.write(decoder.decode(bytes.subarray(i, i + step)));
    records.push(...parser.takeRecords());
  }
  parser.write(decoder.end());
  const header = parser.end();
  records.push(...parser.takeRecords());
  return { header, records, parser };
}

test('RFC 9990 Appendix B sample (namespaced): every field the corpus README lists', () => {
  const { header, records } = parse('parsedmarc/aggregate/rfc9990-sample.xml');
  assert.equal(header.schema, 'rfc9990');
  assert.equal(header.orgName, 'Sample Reporter');
  assert.equal(header.reportId, '3v98abbp8ya9n3va8yr8oa3ya');
  assert.equal(header.generator, 'Example DMARC Aggregate Reporter v1.2');
  assert.deepEqual(
    [
      header.policy.p,
      header.policy.sp,
      header.policy.np,
      header.policy.testing,
      header.policy.discoveryMethod,
    ],
    ['quarantine', 'none', 'none', 'n', 'treewalk'],
  );
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.deepEqual(
    [r.sourceIp, r.count, r.disposition, r.dkim, r.spf],
    ['192.0.2.123', 123, 'pass', 'pass', 'fail'],
  );
  assert.deepEqual(r.dkimResults, [
    { domain: 'example.com', selector: 'abc123', result: 'pass', humanResult: null },
  ]);
});

test('RFC 9990 without the namespace, and its RFC 7489 counterpart', () => {
  const bis = parse('parsedmarc/aggregate/rfc9990-example.net!example.com!1700000000!1700086399.xml').header;
  assert.equal(bis.schema, 'rfc9990');
  assert.deepEqual(
    [bis.policy.np, bis.policy.testing, bis.policy.discoveryMethod],
    ['reject', 'y', 'treewalk'],
  );
  const old = parse('parsedmarc/aggregate/example.net!example.com!1529366400!1529452799.xml').header;
  assert.equal(old.schema, 'rfc7489');
  assert.deepEqual(
    [old.policy.pct, old.policy.fo, old.policy.np, old.policy.testing, old.policy.discoveryMethod],
    [100, '0', null, null, null],
  );
  assert.equal(parse('parsedmarc/aggregate/old_draft_from_wiki.xml').header.schema, 'draft');
});

test('sloppy reporters: upper-case words, empty org_name, bad UTF-8, hardfail, empty disposition', () => {
  const upper = parse('parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml').records[0]!;
  assert.deepEqual([upper.dkim, upper.spf, upper.disposition], ['pass', 'pass', 'none']);
  assert.equal(parse('parsedmarc/aggregate/!example.com!1538204542!1538463818.xml').header.orgName, '');
  const utf8 = parse('parsedmarc/aggregate/invalid_utf_8.xml');
  assert.ok(utf8.records[0]!.headerFrom!.includes('\ufffd'), 'invalid bytes become U+FFFD');
  const hard = parse('dmarc-report-viewer/hardfail.xml').records[0]!;
  assert.ok(hard.spfResults.every((s) => s.result !== 'hardfail'));
  assert.equal(hard.spfResults[0]!.result, 'fail');
  const aol = parse('opendmarc/bad.com!example.com!1337140800!1337227200.xml');
  assert.equal(aol.header.orgName, 'AOL');
  assert.equal(aol.records[0]!.disposition, 'none', 'an empty <disposition> is none');
  assert.equal(aol.records.length, 2, 'the record with source_ip "108r.166.27.220" is skipped');
  assert.equal(aol.parser.skippedRecords, 1);
  assert.ok(aol.parser.allNotes().some((n) => n.includes('without </feedback>')));
});

test('invalid XML that parsedmarc recovers from is recovered here too', () => {
  const { header, records, parser } = parse('parsedmarc/aggregate/invalid_xml.xml');
  assert.equal(header.orgName, 'veeam.com');
  assert.equal(header.email, '<bad-xml@bad-xml.net>');
  assert.equal(records[0]!.headerFrom, 'bad<xml.net');
  assert.ok(parser.recoveries > 0);
});

test('dmarc-report-viewer expectations (mailru, aol, outlook, acme)', () => {
  const mailru = parse('dmarc-report-viewer/mailru.xml');
  assert.equal(mailru.header.orgName, 'Mail.Ru');
  assert.equal(mailru.header.reportId, '28327321193681154911721360800');
  assert.equal(mailru.header.policy.domain, 'foobar.de');
  assert.deepEqual([mailru.header.policy.p, mailru.header.policy.sp], ['reject', 'reject']);
  const r = mailru.records[0]!;
  assert.deepEqual([r.sourceIp, r.dkim, r.spf], ['118.41.204.2', 'fail', 'fail']);
  assert.deepEqual([r.spfResults[0]!.result, r.spfResults[0]!.scope], ['softfail', 'mfrom']);
  assert.equal(parse('dmarc-report-viewer/aol.xml').header.reportId, 'website.com_1504828800');
  assert.equal(parse('dmarc-report-viewer/outlook.xml').records.length, 2);
  const acme = parse('dmarc-report-viewer/acme.xml');
  assert.deepEqual(acme.header.errors, ['There was a sample error.']);
  assert.equal(acme.records[0]!.reasons[0]!.type, 'other');
  assert.ok(acme.records[0]!.reasons[0]!.comment !== null);
});

test('NetEase (2012): float times and 754 records in 500 KB', () => {
  const { header, records } = parse('opendmarc/good.com!example.com!1337270400!1337356799.xml', 4096);
  assert.equal(header.begin, 1337270400);
  assert.equal(records.length, 754);
});

test('IKEA wraps <feedback> in an unclosed <xs:schema>: read anyway', () => {
  const { header, records } = parse('parsedmarc/aggregate/ikea.com!example.de!1538690400!1538776800.xml');
  assert.equal(header.policy.domain, 'example.de');
  assert.equal(records.length, 1);
});

test('the large parsedmarc sample gives the same records however it is cut', () => {
  const file = 'parsedmarc/aggregate/!large-example.com!1711897200!1711983600.xml';
  const whole = parse(file);
  assert.equal(whole.records.length, 2286);
  for (const step of [1000, 4097, 65536])
    assert.deepEqual(parse(file, step).records, whole.records, `pieces of ${step}`);
});

/** Stalwart's expected JSON spells enums in Pascal case ("Pass", "Quarantine"): compare in lower case. */
function lower(v: unknown): string | null {
  const w = typeof v === 'string' ? v.toLowerCase() : null;
  return w === 'unspecified' ? null : w;
}

interface StalwartFeedback {
  report_metadata: {
    org_name: string;
    report_id: string;
    date_range: { begin: number; end: number };
    error: string[];
  };
  policy_published: { domain: string; p: string; sp: string; testing: boolean };
  record: Array<{
    row: {
      source_ip: string;
      count: number;
      policy_evaluated: {
        disposition: string;
        dkim: string;
        spf: string;
        reason: Array<{ type_: string; comment: string | null }>;
      };
    };
    identifiers: { header_from: string };
    auth_results: {
      dkim: Array<{ domain: string; selector: string; result: string }>;
      spf: Array<{ domain: string; scope: string; result: string }>;
    };
  }>;
}

test("Stalwart's expected parse results (dmarc-feedback/001-005), field by field", () => {
  for (const n of ['001', '002', '003', '004', '005']) {
    const expected = JSON.parse(
      readFileSync(new URL(`stalwart-mail-auth/dmarc-feedback/${n}.json`, CORPUS), 'utf8'),
    ) as StalwartFeedback;
    const { header, records } = parse(`stalwart-mail-auth/dmarc-feedback/${n}.xml`);
    const m = expected.report_metadata;
    assert.equal(header.orgName, m.org_name, n);
    assert.equal(header.reportId, m.report_id, n);
    assert.deepEqual([header.begin, header.end], [m.date_range.begin, m.date_range.end], n);
    assert.deepEqual(header.errors, m.error, n);
    assert.equal(header.policy.domain, expected.policy_published.domain, n);
    assert.equal(header.policy.p, lower(expected.policy_published.p), n);
    assert.equal(header.policy.testing === 'y', expected.policy_published.testing, n);
    assert.equal(records.length, expected.record.length, n);
    expected.record.forEach((e, i) => {
      const r = records[i]!;
      const pe = e.row.policy_evaluated;
      assert.deepEqual(
        [r.sourceIp, r.count, r.disposition, r.dkim, r.spf, r.headerFrom],
        [
          e.row.source_ip,
          e.row.count,
          lower(pe.disposition),
          lower(pe.dkim),
          lower(pe.spf),
          e.identifiers.header_from,
        ],
        `${n} record ${i}`,
      );
      assert.deepEqual(
        r.reasons.map((x) => [x.type, x.comment]),
        pe.reason.map((x) => [x.type_.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase(), x.comment]),
        `${n} reasons`,
      );
      assert.deepEqual(
        r.dkimResults.map((d) => [d.domain, d.selector, d.result]),
        e.auth_results.dkim.map((d) => [d.domain, d.selector, lower(d.result)]),
        `${n} dkim`,
      );
      assert.deepEqual(
        r.spfResults.map((s) => [s.domain, s.scope, s.result]),
        // Stalwart names the RFC's "mfrom" scope MailFrom.
        e.auth_results.spf.map((s) => [
          s.domain,
          lower(s.scope)?.replace('mailfrom', 'mfrom') ?? null,
          lower(s.result),
        ]),
        `${n} spf`,
      );
    });
  }
});

test('refusals: an empty file, a non-report root, a truncated record, too many records', () => {
  assert.throws(
    () => parse('parsedmarc/empty.xml'),
    (e: unknown) => isRefusal(e) && e.reason === 'not_a_report',
  );
  const cut = (xml: string) => {
    const p = new AggregateParser({
      maxRecords: 1,
      maxRecoveries: 1000,
      xml: { maxTokenChars: 1000, maxTextChars: 1000, maxDepth: 16 },
    });
    p.write(xml);
    return p.end();
  };
  assert.throws(
    () => cut('<html><body>hi</body></html>'),
    (e: unknown) => isRefusal(e) && e.reason === 'not_a_report',
  );
  const head =
    '<feedback><report_metadata><org_name>x</org_name><report_id>1</report_id><date_range><begin>1</begin><end>2</end></date_range></report_metadata><policy_published><domain>example.com</domain></policy_published>';
  const rec = '<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>';
  assert.throws(
    () => cut(`${head}<record><row><source_ip>192.0`),
    (e: unknown) => isRefusal(e) && e.reason === 'truncated',
  );
  assert.throws(
    () => cut(`${head}${rec}${rec}</feedback>`),
    (e: unknown) => isRefusal(e) && e.reason === 'too_many_records',
  );
  assert.throws(
    () =>
      cut(
        '<feedback><policy_published><domain>x.com</domain></policy_published><record></record></feedback>',
      ),
    (e: unknown) => isRefusal(e) && e.reason === 'missing_field' && /report_id/.test(e.message),
  );
});
