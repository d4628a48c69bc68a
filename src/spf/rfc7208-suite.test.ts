/**
 * The openspf.org RFC 7208 test suite (../shared/corpus/spf-suite/pyspf/rfc7208-tests.yml) through checkHost(),
 * with the driver conventions of that folder's README: SPF-type records stand in as TXT when a name has no TXT
 * entry, TIMEOUT makes the types without data time out, a CNAME is followed one level.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { ResourceData } from '../resolver/index.ts';
import { checkHost, type SpfDns, type SpfDnsAnswer } from './index.ts';

const SUITE = new URL('../../../shared/corpus/spf-suite/pyspf/rfc7208-tests.yml', import.meta.url);

/** Every test we do not run, with the reason. */
const SKIPS: Record<string, string> = {};

interface SuiteTest {
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
  spec: string;
}
type ZoneEntry = string | Record<string, unknown>;
interface Scenario {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata?: Record<string, ZoneEntry[]>;
}

/** A name's records as the README's driver conventions build them. */
export function zoneResolver(zonedata: Record<string, ZoneEntry[]>): SpfDns {
  const zone = new Map<string, ZoneEntry[]>();
  for (const [name, entries] of Object.entries(zonedata))
    zone.set(name.toLowerCase().replace(/\.$/, ''), entries);
  const bytes = (s: string) =>
    [...s].every((c) => c.charCodeAt(0) <= 0xff) ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
  const txtData = (v: unknown): ResourceData => ({
    type: 'TXT',
    strings: (Array.isArray(v) ? v : [v]).map((s) => bytes(String(s))),
  });
  const recordsOf = (entries: ZoneEntry[], type: string): ResourceData[] | 'timeout' => {
    const objects = entries.filter((e): e is Record<string, unknown> => typeof e === 'object');
    const hasTimeout = entries.includes('TIMEOUT');
    const values = (t: string) => objects.filter((o) => t in o).map((o) => o[t]);
    let out: ResourceData[] = [];
    if (type === 'TXT') {
      const txt = values('TXT');
      if (txt.length > 0) out = txt.filter((v) => v !== 'NONE').map(txtData);
      else
        out = values('SPF')
          .filter((v) => v !== 'NONE')
          .map(txtData);
      if (out.length === 0 && hasTimeout) return 'timeout';
    } else {
      for (const v of values(type)) {
        if (type === 'A' || type === 'AAAA') out.push({ type, address: String(v) });
        if (type === 'PTR') out.push({ type: 'PTR', target: String(v).toLowerCase().replace(/\.$/, '') });
        if (type === 'MX') {
          const [preference, exchange] = v as [number, string];
          out.push({ type: 'MX', preference, exchange: exchange.toLowerCase().replace(/\.$/, '') });
        }
      }
      if (out.length === 0 && hasTimeout) return 'timeout';
    }
    return out;
  };
  return {
    lookup(name, type): Promise<SpfDnsAnswer> {
      const key = name.toLowerCase().replace(/\.$/, '');
      if (key.split('.').some((l) => l.length > 63)) return Promise.resolve({ status: 'nxdomain' });
      let entries = zone.get(key);
      if (entries === undefined) return Promise.resolve({ status: 'nxdomain' });
      const cname = entries.find((e): e is Record<string, unknown> => typeof e === 'object' && 'CNAME' in e);
      if (cname !== undefined) {
        entries = zone.get(String(cname.CNAME).toLowerCase().replace(/\.$/, ''));
        if (entries === undefined) return Promise.resolve({ status: 'nxdomain' });
      }
      const records = recordsOf(entries, type);
      if (records === 'timeout') return Promise.resolve({ status: 'temperror', reason: 'timeout' });
      return Promise.resolve(records.length === 0 ? { status: 'nodata' } : { status: 'found', records });
    },
  };
}

const scenarios = yaml.loadAll(readFileSync(SUITE, 'utf8')) as Scenario[];
let count = 0;
for (const scenario of scenarios) {
  const dns = zoneResolver(scenario.zonedata ?? {});
  for (const [name, t] of Object.entries(scenario.tests)) {
    count++;
    const skip = SKIPS[name];
    test(`${scenario.description} / ${name} (RFC 7208 ${t.spec})`, { skip }, async () => {
      const mailfrom = t.mailfrom;
      const domain = mailfrom === '' ? t.helo : mailfrom.slice(mailfrom.lastIndexOf('@') + 1);
      const sender = mailfrom === '' ? `postmaster@${t.helo}` : mailfrom;
      const outcome = await checkHost(
        { ip: t.host, domain, sender, helo: t.helo },
        { dns, defaultExplanation: 'DEFAULT', receivingHost: 'receivingdomain', now: () => 0 },
      );
      const expected = Array.isArray(t.result) ? t.result : [t.result];
      assert.ok(
        expected.includes(outcome.result),
        `expected ${expected.join(' or ')}, got ${outcome.result}: ${outcome.reason}`,
      );
      if (t.explanation !== undefined) assert.equal(outcome.explanation, t.explanation);
    });
  }
}

test('the suite file holds the 203 tests the README describes', () => {
  assert.equal(count, 203);
});
