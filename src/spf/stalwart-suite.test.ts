/**
 * A second, independent SPF suite: stalwartlabs/mail-auth's resources/spf/*.yml (../shared/corpus/spf-suite/
 * stalwart-mail-auth). It is not valid YAML (keys repeat), so it is read line by line as its README says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { ResourceData } from '../resolver/index.ts';
import { reverseName } from '../ip/index.ts';
import { parseClientIp } from './client-ip.ts';
import { checkHost, type SpfDns } from './index.ts';

const DIR = new URL('../../../shared/corpus/spf-suite/stalwart-mail-auth/', import.meta.url);

/**
 * Every test we do not run, with the reason. Each expects a result that contradicts RFC 7208 and the
 * openspf.org RFC 7208 suite, which checkHost() passes in full (rfc7208-suite.test.ts).
 */
const SKIPS: Record<string, string> = {
  'all.yml / All test #1: sender@test.org from 10.0.0.1 → fail':
    'expects "-all ip:10.0.0.1" to fail; "ip:" is no mechanism, and a syntax error anywhere is permerror (RFC 7208 §4.6; openspf suite "Record evaluation")',
  'basic.yml / DNS Lookup Limits #9: sender@ok.test.org from 172.168.0.1 → softfail':
    'ten a: terms to names that do not exist are ten void lookups; RFC 7208 §4.6.4 limits them to two (openspf suite "void-over-limit" expects permerror)',
  'basic.yml / DNS Lookup Limits #14: sender@mx.test.org from 10.0.0.8 → pass':
    'an mx with 11 MX records must be permerror (RFC 7208 §4.6.4; openspf suite "mx-limit")',
  'basic.yml / HELO identity #18: sender@test.org from 172.168.0.1 → fail':
    "checks the HELO and the MAIL FROM identities together and keeps the HELO's fail, a Stalwart API convention; check_host() of the MAIL FROM domain (+all) is pass",
  'exists.yml / Exists #2: sender@ip6.test.org from 167.1.2.3 → pass':
    'the name has only AAAA records; "exists" always makes an A query (RFC 7208 §5.7), so it does not match',
  'ip.yml / IPv6 match #11: sender@test.org from 10.1.2.3 → pass':
    'an IPv4 client matched by ip6:::ffff:10.1.2.3; RFC 7208 §5 treats IPv4(-mapped) clients as IPv4 only (openspf suite "cidr6-ip4")',
  'macro.yml / Macro expansion 2 #4: strong-bad@email.example.com from 2001:db8::cb01 → pass':
    'the exists target has only an AAAA record; "exists" always makes an A query (RFC 7208 §5.7)',
};

interface Case {
  readonly file: string;
  readonly title: string;
  readonly domain: string;
  readonly sender: string;
  readonly ip: string;
  readonly result: string;
  readonly explanation?: string;
  readonly dns: SpfDns;
}

type Line = readonly [key: string, value: string];

/** Builds the in-memory DNS from record lines, as the README describes them. */
function zoneOf(lines: readonly Line[]): SpfDns {
  const zone = new Map<string, ResourceData[]>();
  const add = (name: string, data: ResourceData) => {
    const key = `${name.toLowerCase().replace(/\.$/, '')}|${data.type}`;
    zone.set(key, [...(zone.get(key) ?? []), data]);
  };
  const address = (ip: string): ResourceData => ({ type: ip.includes(':') ? 'AAAA' : 'A', address: ip });
  for (const [key, value] of lines) {
    const sp = value.indexOf(' ');
    const owner = value.slice(0, sp);
    const rest = value.slice(sp + 1).trim();
    const items = rest
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    if (key === 'spf' || key === 'exp') add(owner, { type: 'TXT', strings: [Buffer.from(rest, 'latin1')] });
    if (key === 'a' || key === 'aaaa') for (const ip of items) add(owner, address(ip));
    if (key === 'ptr')
      for (const n of items)
        add(reverseName(parseClientIp(owner)!), { type: 'PTR', target: n.toLowerCase().replace(/\.$/, '') });
    if (key === 'mx')
      items.forEach((ip, pos) => {
        const exchange = `mx.${ip}.${pos}`;
        add(owner, { type: 'MX', preference: pos + 1, exchange });
        add(exchange, address(ip));
      });
  }
  const names = new Set([...zone.keys()].map((k) => k.split('|')[0]));
  return {
    lookup(name, type) {
      const n = name.toLowerCase().replace(/\.$/, '');
      // The upstream driver's resolver fails every query for a name containing "_dns_error".
      if (n.includes('_dns_error')) return Promise.resolve({ status: 'temperror', reason: 'test DNS error' });
      const records = zone.get(`${n}|${type}`);
      if (records !== undefined) return Promise.resolve({ status: 'found', records });
      return Promise.resolve(names.has(n) ? { status: 'nodata' } : { status: 'nxdomain' });
    },
  };
}

const RECORD_KEYS = new Set(['spf', 'exp', 'a', 'aaaa', 'ptr', 'mx']);

/**
 * Documents are split on "---". Record lines under `records:` hold for the whole document; record lines inside a
 * test item (examples.yml) add to them for that item. Test fields carry over from item to item until set again,
 * and each `expect:` is one case with the fields as they stand.
 */
function load(file: string): Case[] {
  const out: Case[] = [];
  for (const doc of readFileSync(new URL(file, DIR), 'utf8').split(/^---\s*$/m)) {
    const base: Line[] = [];
    let item: Line[] = [];
    let inTests = false;
    let title = '';
    let itemTitle = '';
    const fields: Record<string, string> = {};
    for (const raw of doc.split('\n')) {
      const line = raw.replace(/\s+$/, '');
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const m = /^\s*(-\s+)?(\w+):\s?(.*)$/.exec(line);
      if (m === null) continue;
      const dash = m[1];
      const key = m[2]!;
      const value = m[3]!.trim();
      if (key === 'tests') {
        inTests = true;
        continue;
      }
      if (dash !== undefined) {
        item = [];
        itemTitle = '';
      }
      if (key === 'name') {
        if (inTests) itemTitle = value;
        else title = value;
      } else if (RECORD_KEYS.has(key)) {
        (inTests ? item : base).push([key, value]);
      } else if (key === 'expect') {
        const sp = value.indexOf(' ');
        out.push({
          file,
          title: itemTitle ? `${title} / ${itemTitle}` : title,
          domain: fields.domain ?? '',
          sender: fields.sender ?? '',
          ip: fields.ip ?? '',
          result: sp < 0 ? value : value.slice(0, sp),
          ...(sp < 0 ? {} : { explanation: value.slice(sp + 1) }),
          dns: zoneOf([...base, ...item]),
        });
      } else if (inTests) {
        fields[key] = value;
      }
    }
  }
  return out;
}

let total = 0;
for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort()) {
  load(file).forEach((c, i) => {
    total++;
    const name = `${c.file} / ${c.title} #${i + 1}: ${c.sender || '(null sender)'} from ${c.ip} → ${c.result}`;
    test(name, { skip: SKIPS[name] }, async () => {
      const sender = c.sender === '' ? `postmaster@${c.domain}` : c.sender;
      const domain = sender.slice(sender.lastIndexOf('@') + 1);
      const outcome = await checkHost(
        { ip: c.ip, domain, sender, helo: c.domain },
        { dns: c.dns, receivingHost: 'localdomain.org', now: () => 0 },
      );
      assert.equal(outcome.result, c.result, outcome.reason);
      if (c.explanation !== undefined) assert.equal(outcome.explanation, c.explanation);
    });
  });
}

test('the stalwart suite holds the 163 cases its README describes', () => {
  assert.equal(total, 163);
});
