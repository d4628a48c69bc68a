import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainName } from '../domain-name/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { EdgeHost } from './model.ts';
import { clickHostRole, planHosts, readinessOf, wantedHosts } from './host-plan.ts';
import type { RecordGrade } from './ports.ts';

function domain(id: string, over: Partial<SenderDomain> = {}, tracking = true): SenderDomain {
  return {
    id,
    tenantId: `tenant-${id}`,
    name: 'example.com' as DomainName,
    token: `tok${id}`,
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking,
      spfMechanisms: [],
      ownDkimSelectors: [],
      dkimSelectors: [],
    },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    verifiedAt: '2026-11-01T01:00:00.000Z',
    ...over,
  };
}

const good: RecordGrade = { status: 'perfect', error: null, checkedAt: '2026-11-01T01:00:00.000Z' };
const broken: RecordGrade = {
  status: 'error',
  error: 'There is no CNAME at clicks.example.com (the name does not exist).',
  checkedAt: '2026-11-01T01:00:00.000Z',
};
const grades = (entries: Array<[string, RecordGrade]>) =>
  new Map(entries.map(([id, g]) => [id, new Map([['tracking', g]])]));

function stored(hostname: string, domainId: string): EdgeHost {
  return {
    hostname,
    role: 'click',
    domainId,
    tenantId: `tenant-${domainId}`,
    status: 'issued',
    order: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    certificate: null,
    createdAt: '',
    updatedAt: '',
  };
}

test('readiness says why a host waits, in words for the tenant', () => {
  const cases: Array<{ what: string; d: SenderDomain; g: RecordGrade | undefined; want: RegExp | true }> = [
    { what: 'unverified domain', d: domain('a', { verifiedAt: null }), g: good, want: /not verified yet/ },
    { what: 'never checked', d: domain('a'), g: undefined, want: /has not been checked yet/ },
    {
      what: 'CNAME missing',
      d: domain('a'),
      g: broken,
      want: /does not point at the edge yet: There is no CNAME/,
    },
    {
      what: 'DNS unreachable',
      d: domain('a'),
      g: { status: 'temperror', error: 'timeout', checkedAt: '' },
      want: /could not be checked: timeout/,
    },
    { what: 'ready', d: domain('a'), g: good, want: true },
  ];
  for (const c of cases) {
    const r = readinessOf(c.d, 'clicks.example.com', c.g);
    if (c.want === true) assert.equal(r.ready, true, c.what);
    else assert.match(r.ready ? '' : r.reason, c.want, c.what);
  }
});

test('the click host follows the domain: its label, and nothing while tracking is off', () => {
  const d = domain('a', {
    name: 'news.example.org' as DomainName,
    settings: { ...domain('a').settings, clickLabel: 'go' },
  });
  assert.equal(clickHostRole.hostnameOf(d), 'go.news.example.org');
  assert.equal(clickHostRole.hostnameOf(domain('b', {}, false)), null);
});

test('a new ready host is added; a waiting one is not; a stored one nobody wants goes', () => {
  const wanted = wantedHosts(
    [domain('a'), domain('b', { name: 'other.com' as DomainName })],
    grades([
      ['a', good],
      ['b', broken],
    ]),
    [clickHostRole],
  );
  const plan = planHosts(wanted, [stored('clicks.gone.com', 'z')]);
  assert.deepEqual(
    plan.add.map((h) => h.hostname),
    ['clicks.example.com'],
  );
  assert.deepEqual(plan.remove, ['clicks.gone.com']);
  assert.deepEqual([...plan.ready], ['clicks.example.com']);
});

test('a stored host whose CNAME broke stays (its certificate is still served) but orders nothing', () => {
  const plan = planHosts(wantedHosts([domain('a')], grades([['a', broken]]), [clickHostRole]), [
    stored('clicks.example.com', 'a'),
  ]);
  assert.deepEqual(plan, { add: [], remove: [], ready: new Set() });
});

test('two tenants with the same domain: the one verified now owns the host, and a move starts over', () => {
  const older = domain('a', { verifiedAt: '2026-11-01T01:00:00.000Z' });
  const newer = domain('b', { verifiedAt: '2026-11-02T01:00:00.000Z' });
  const wanted = wantedHosts(
    [older, newer],
    grades([
      ['a', good],
      ['b', good],
    ]),
    [clickHostRole],
  );
  assert.equal(wanted.get('clicks.example.com')?.domain.id, 'b');
  const plan = planHosts(wanted, [stored('clicks.example.com', 'a')]);
  assert.deepEqual(plan.remove, ['clicks.example.com']);
  assert.deepEqual(
    plan.add.map((h) => h.domain.id),
    ['b'],
  );
  // An unverified claimant never displaces the holder.
  const squatter = domain('c', { verifiedAt: null });
  const kept = planHosts(
    wantedHosts(
      [older, squatter],
      grades([
        ['a', good],
        ['c', good],
      ]),
      [clickHostRole],
    ),
    [stored('clicks.example.com', 'a')],
  );
  assert.deepEqual(kept.remove, []);
  assert.deepEqual([...kept.ready], ['clicks.example.com']);
});
