import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APEX, domainRecords, sampleSettings, TOKEN } from '../../test/support/dns-zone.ts';
import { Rcode, RRType, typeName } from '../dns-wire/index.ts';
import { presentRdata, type WireRecord } from './wire-record.ts';
import { platformRecords, soaRecord } from './zone-builder.ts';
import { Zone } from './zone.ts';

function zoneWithDomain(): Zone {
  const zone = new Zone(APEX);
  zone.replace('platform', platformRecords(sampleSettings()));
  zone.setSoa(soaRecord(sampleSettings(), 1));
  zone.replace('domain:1', domainRecords());
  return zone;
}

const text = (records: readonly WireRecord[]) =>
  records.map((r) => `${r.name} ${typeName(r.type)} ${presentRdata(r.type, r.rdata)}`);

const cases: Array<{
  what: string;
  qname: string;
  qtype: number;
  rcode: number;
  negative: boolean;
  answer: string[];
  additional?: string[];
}> = [
  {
    what: 'a TXT record that exists',
    qname: `${TOKEN}.dmarc.${APEX}`,
    qtype: RRType.TXT,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`${TOKEN}.dmarc.${APEX} TXT "v=DMARC1; p=none; rua=mailto:${TOKEN}@reports.${APEX}"`],
  },
  {
    what: 'an MX gets the exchange address in the additional section (RFC 1035 §3.3.9)',
    qname: `${TOKEN}.bounce.${APEX}`,
    qtype: RRType.MX,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`${TOKEN}.bounce.${APEX} MX 10 mx.${APEX}.`],
    additional: [`mx.${APEX} A 192.0.2.25`],
  },
  {
    what: 'NS gets glue for the in-zone server only',
    qname: APEX,
    qtype: RRType.NS,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`${APEX} NS ns1.${APEX}.`, `${APEX} NS ns.other.example.`],
    additional: [`ns1.${APEX} A 192.0.2.53`, `ns1.${APEX} AAAA 2001:db8:0:0:0:0:0:53`],
  },
  {
    what: 'a name with other types: NODATA',
    qname: `${TOKEN}.dmarc.${APEX}`,
    qtype: RRType.A,
    rcode: Rcode.NOERROR,
    negative: true,
    answer: [],
  },
  {
    what: 'an empty non-terminal exists: NODATA, not NXDOMAIN (RFC 8020)',
    qname: `${TOKEN}.dkim.${APEX}`,
    qtype: RRType.TXT,
    rcode: Rcode.NOERROR,
    negative: true,
    answer: [],
  },
  {
    what: 'a higher empty non-terminal too',
    qname: `_dmarc.reports.${APEX}`,
    qtype: RRType.TXT,
    rcode: Rcode.NOERROR,
    negative: true,
    answer: [],
  },
  {
    what: 'a name that does not exist: NXDOMAIN',
    qname: `nothing.${APEX}`,
    qtype: RRType.A,
    rcode: Rcode.NXDOMAIN,
    negative: true,
    answer: [],
  },
  {
    what: 'below an existing leaf: NXDOMAIN',
    qname: `x.${TOKEN}.dmarc.${APEX}`,
    qtype: RRType.TXT,
    rcode: Rcode.NXDOMAIN,
    negative: true,
    answer: [],
  },
  {
    what: 'a CNAME to outside the zone ends there',
    qname: `track.${APEX}`,
    qtype: RRType.A,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`track.${APEX} CNAME cdn.example.org.`],
  },
  {
    what: 'a CNAME inside the zone is followed (RFC 1034 §4.3.2)',
    qname: `www.${APEX}`,
    qtype: RRType.A,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`www.${APEX} CNAME ${APEX}.`, `${APEX} A 192.0.2.80`],
  },
  {
    what: 'a CNAME asked for as CNAME is not followed',
    qname: `www.${APEX}`,
    qtype: RRType.CNAME,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`www.${APEX} CNAME ${APEX}.`],
  },
  {
    what: 'a CNAME to a missing in-zone name: NXDOMAIN with the CNAME (RFC 6604 §3)',
    qname: `gone.${APEX}`,
    qtype: RRType.TXT,
    rcode: Rcode.NXDOMAIN,
    negative: true,
    answer: [`gone.${APEX} CNAME missing.${APEX}.`],
  },
  {
    what: 'a CNAME loop stops where it repeats',
    qname: `loop1.${APEX}`,
    qtype: RRType.A,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`loop1.${APEX} CNAME loop2.${APEX}.`, `loop2.${APEX} CNAME loop1.${APEX}.`],
  },
  {
    what: 'ANY gets one RRset (RFC 8482 §4.1), the lowest type',
    qname: `${TOKEN}.bounce.${APEX}`,
    qtype: RRType.ANY,
    rcode: Rcode.NOERROR,
    negative: false,
    answer: [`${TOKEN}.bounce.${APEX} MX 10 mx.${APEX}.`],
    additional: [`mx.${APEX} A 192.0.2.25`],
  },
];

for (const c of cases) {
  test(`resolve: ${c.what}`, () => {
    const r = zoneWithDomain().resolve(c.qname, c.qtype);
    assert.equal(r.rcode, c.rcode);
    assert.equal(r.negative, c.negative);
    assert.deepEqual(text(r.answer), c.answer);
    assert.deepEqual(text(r.additional), c.additional ?? []);
  });
}

test('resolve keeps the question spelling on records owned by the queried name (RFC 4343 §4)', () => {
  const r = zoneWithDomain().resolve(`WWW.Mail.Example.NET`, RRType.A);
  assert.deepEqual(
    r.answer.map((a) => a.name),
    ['WWW.Mail.Example.NET', APEX],
  );
});

test('two contributors publishing the same record give one record (RFC 2181 §5)', () => {
  const zone = zoneWithDomain();
  zone.replace('domain:2', domainRecords('mnopqrstuvwx'));
  const name = `example.com._report._dmarc.reports.${APEX}`;
  assert.equal(zone.rrset(name, RRType.TXT)?.length, 1);
  // Removing one contributor keeps the record for the other.
  zone.replace('domain:1', []);
  assert.equal(zone.rrset(name, RRType.TXT)?.length, 1);
  zone.replace('domain:2', []);
  assert.equal(zone.rrset(name, RRType.TXT), undefined);
  assert.equal(zone.exists(`_report._dmarc.reports.${APEX}`), false);
});

test('an RRset gets one TTL, the lowest given (RFC 2181 §5.2)', () => {
  const zone = new Zone(APEX);
  zone.replace('a', [{ name: `x.${APEX}`, ttl: 300, data: { type: 'A', address: '192.0.2.1' } }]);
  zone.replace('b', [{ name: `x.${APEX}`, ttl: 60, data: { type: 'A', address: '192.0.2.2' } }]);
  assert.deepEqual(
    zone.rrset(`x.${APEX}`, RRType.A)?.map((r) => r.ttl),
    [60, 60],
  );
});

test('replace tells whether anything changed', () => {
  const zone = zoneWithDomain();
  assert.equal(zone.replace('domain:1', domainRecords()), false, 'the same records again change nothing');
  assert.equal(zone.differs('domain:1', domainRecords()), false);
  assert.equal(zone.differs('domain:1', []), true);
  assert.equal(zone.replace('domain:1', []), true);
  assert.equal(zone.exists(`${TOKEN}.dmarc.${APEX}`), false);
  assert.equal(zone.exists(`${TOKEN}.dkim.${APEX}`), false, 'the empty non-terminal vanished too');
  assert.equal(zone.exists(`dkim.${APEX}`), false);
  assert.equal(zone.exists(`reports.${APEX}`), true, 'a name of the platform stays');
});

test('records outside the zone are refused', () => {
  const zone = new Zone(APEX);
  assert.throws(() =>
    zone.replace('x', [{ name: 'example.org', ttl: 1, data: { type: 'A', address: '192.0.2.1' } }]),
  );
  assert.throws(() =>
    zone.replace('x', [{ name: `x${APEX}`, ttl: 1, data: { type: 'A', address: '192.0.2.1' } }]),
  );
});

test('the digest follows the content, not the serial', () => {
  const a = zoneWithDomain();
  const b = zoneWithDomain();
  assert.equal(a.digest(), b.digest());
  b.setSoa(soaRecord(sampleSettings(), 99));
  assert.equal(a.digest(), b.digest(), 'a new serial is not new content');
  assert.match(Zone.present(b.rrset(APEX, RRType.SOA)![0]!), / 99 3600 /, 'but it is served');
  b.replace('domain:2', domainRecords('mnopqrstuvwx', 'example.org'));
  assert.notEqual(a.digest(), b.digest());
  b.replace('domain:2', []);
  assert.equal(a.digest(), b.digest(), 'and removing it again restores the digest');
});

test("records() lists the SOA first, then each name once, a domain's names together", () => {
  const records = zoneWithDomain().records();
  assert.equal(records[0]!.type, RRType.SOA);
  assert.equal(records.filter((r) => r.type === RRType.SOA).length, 1);
  const names = records.slice(1).map((r) => r.name);
  const dmarc = names.indexOf(`${TOKEN}.dmarc.${APEX}`);
  const bounce = names.indexOf(`${TOKEN}.bounce.${APEX}`);
  assert.ok(dmarc > 0 && bounce > dmarc && bounce - dmarc <= 2, 'written in the order given');
  assert.equal(records.length, 1 + platformRecords(sampleSettings()).length + domainRecords().length);
});

test('answers that carry other names follow them: MX additional addresses and CNAME chains', () => {
  const zone = zoneWithDomain();
  const additional = () => text(zone.resolve(`${TOKEN}.bounce.${APEX}`, RRType.MX).additional);
  assert.deepEqual(additional(), [`mx.${APEX} A 192.0.2.25`]);
  const settings = sampleSettings({
    hostAddresses: new Map([
      ...sampleSettings().hostAddresses,
      [`mx.${APEX}`, ['192.0.2.26', '2001:db8::25']],
    ]),
  });
  zone.replace('platform', platformRecords(settings));
  assert.deepEqual(additional(), [`mx.${APEX} A 192.0.2.26`, `mx.${APEX} AAAA 2001:db8:0:0:0:0:0:25`]);
  assert.deepEqual(text(zone.resolve(`www.${APEX}`, RRType.A).answer), [
    `www.${APEX} CNAME ${APEX}.`,
    `${APEX} A 192.0.2.80`,
  ]);
});

test('an empty non-terminal counts the names below it, and goes with the last', () => {
  const zone = zoneWithDomain();
  zone.replace('x', [{ name: `a.b.${TOKEN}.dkim.${APEX}`, ttl: 60, data: { type: 'TXT', strings: ['x'] } }]);
  assert.ok(zone.exists(`b.${TOKEN}.dkim.${APEX}`));
  zone.replace('domain:1', []);
  assert.ok(zone.exists(`${TOKEN}.dkim.${APEX}`), 'still above a.b');
  assert.equal(zone.owns(`${TOKEN}.dkim.${APEX}`), false);
  zone.replace('x', []);
  assert.equal(zone.exists(`${TOKEN}.dkim.${APEX}`), false);
  assert.equal(zone.exists(`dkim.${APEX}`), false);
});

test('journalling gives the difference between two versions, the SOA left out', () => {
  const zone = zoneWithDomain();
  zone.beginChanges();
  zone.setSoa(soaRecord(sampleSettings(), 2));
  const other = domainRecords('mnopqrstuvwx', 'example.org');
  zone.replace('domain:2', other);
  zone.replace('domain:1', domainRecords().slice(1));
  const diff = zone.takeChanges();
  const dkim = zoneWithDomain().rrset(`sd1.${TOKEN}.dkim.${APEX}`, RRType.TXT)!;
  assert.deepEqual(text(diff.deleted), text(dkim), 'the one record domain:1 no longer has');
  assert.equal(diff.added.length, other.length);
  assert.deepEqual(zone.takeChanges(), { deleted: [], added: [] }, 'taken once');
});
