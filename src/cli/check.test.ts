import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainCheck, RecordCheck } from '../checks/index.ts';
import { formatCheck } from './check.ts';

const ROOTS =
  'The lookup of _dmarc.example.com (the 13 root servers) failed. None of them answered with authority or a referral, so something between senderd and the internet answers DNS in their place (an intercepting firewall or proxy), or checks.rootServers lists servers that are not roots.';

function record(key: string, message: string): RecordCheck {
  return {
    key,
    name: `${key}.example.com`,
    type: 'CNAME',
    purpose: 'dkim',
    required: true,
    expected: 'x',
    grade: 'temperror',
    remarks: [{ code: 'dns-failure', severity: 'temperror', message }],
    observed: [],
  };
}

test('a long explanation shared by several records is printed once and referred to by number', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const check: DomainCheck = {
    domain: 'example.com',
    mode: 'delegated',
    checkedAt: '2026-12-01T00:00:00.000Z',
    grade: 'temperror',
    verification: { verified: false, evidence: null },
    zone: { apex: null, nameservers: [], remarks: [] },
    records: [...keys.map((k) => record(k, ROOTS)), record('short', 'A short one, said where it belongs.')],
    stats: { queries: 13, ms: 5 },
  };
  const text = formatCheck(check, { colour: false, verbose: false });
  assert.equal(text.split(ROOTS).length - 1, 1, text);
  assert.equal(text.match(/dns-failure: see \[1\]/g)?.length, 7, text);
  assert.match(text, /^ {2}\[1\] The lookup of _dmarc/m);
  assert.match(text, /dns-failure: A short one, said where it belongs\./);
});
