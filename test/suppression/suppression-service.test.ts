/**
 * The suppression list's rules over a real store (SQLite here; PostgreSQL in the full run): soft bounces suppress
 * after N in M days and expire, hard ones at once, block and unknown never; addresses are normalised in the domain
 * only; CSV import reports bad rows by line and round-trips through export.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BounceRecord } from '../../src/gateway/index.ts';
import { parseCsv, suppressionReply } from '../../src/suppression/index.ts';
import { openTestServices } from '../support/node.ts';

const DAY = 86_400_000;

function clockAt(iso: string) {
  let now = Date.parse(iso);
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function withServices(
  fn: (
    s: Awaited<ReturnType<typeof openTestServices>>,
    clock: ReturnType<typeof clockAt>,
    tenantId: string,
  ) => Promise<void>,
): Promise<void> {
  const clock = clockAt('2026-12-01T00:00:00.000Z');
  const s = await openTestServices({ runtime: { clock } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    await fn(s, clock, tenant.id);
  } finally {
    await s.close();
  }
}

const bounce = (tenantId: string, at: string, cls: BounceRecord['class']): BounceRecord => ({
  messageId: `m${at}`,
  tenantId,
  domainId: null,
  recipient: 'full@example.com',
  at,
  reason: 'expired',
  code: 452,
  reply: '4.2.2 mailbox full',
  class: cls,
  rule: 'status.mailbox-full',
  status: '4.2.2',
});

test('soft bounces suppress after 3 within 7 days (the defaults), for 14 days; older ones do not count', async () => {
  await withServices(async (s, clock, tenantId) => {
    const notice = (at: string, stored: boolean) => ({
      tenantId,
      recipient: 'full@example.com',
      class: 'soft' as const,
      at,
      reply: '452 4.2.2 mailbox full',
      messageId: `m${at}`,
      stored,
    });
    // One soft bounce nine days ago (outside the window) and one two days ago, both in the trace.
    await s.store.gateway.insertBounces([
      bounce(tenantId, '2026-11-22T00:00:00.000Z', 'soft'),
      bounce(tenantId, '2026-11-29T00:00:00.000Z', 'soft'),
      bounce(tenantId, '2026-11-30T00:00:00.000Z', 'block'),
    ]);
    const now = clock.now().toISOString();
    assert.equal(await s.suppressions.recordBounce(notice(now, false)), null, 'two in the window');
    assert.equal(await s.suppressions.check(tenantId, 'full@example.com'), null);
    await s.store.gateway.insertBounces([bounce(tenantId, now, 'soft')]);
    clock.advance(1000);
    const third = clock.now().toISOString();
    const entry = await s.suppressions.recordBounce(notice(third, false));
    assert.equal(entry?.reason, 'soft-bounce');
    assert.equal(entry?.expiresAt, new Date(Date.parse(third) + 14 * DAY).toISOString());
    const found = await s.suppressions.check(tenantId, 'full@example.com');
    assert.ok(found);
    assert.deepEqual(suppressionReply('full@example.com', found), {
      code: 550,
      enhanced: '5.2.0',
      text: '<full@example.com>: suppressed after repeated soft bounces on 2026-12-01, until 2026-12-15 (senderd suppression list)',
    });
    clock.advance(14 * DAY);
    assert.equal(await s.suppressions.check(tenantId, 'full@example.com'), null, 'expired');
    assert.equal((await s.suppressions.list(tenantId, { limit: 10, offset: 0 })).total, 0);
  });
});

test('a hard bounce suppresses at once and a later soft one does not shorten it; block and unknown never suppress', async () => {
  await withServices(async (s, clock, tenantId) => {
    const at = clock.now().toISOString();
    const base = { tenantId, at, reply: '550 5.1.1 no such user', messageId: 'm1', stored: true };
    for (const cls of ['block', 'unknown'] as const) {
      assert.equal(
        await s.suppressions.recordBounce({ ...base, recipient: 'x@example.com', class: cls }),
        null,
      );
    }
    assert.equal(await s.suppressions.check(tenantId, 'x@example.com'), null);
    assert.equal(
      (await s.suppressions.recordBounce({ ...base, recipient: 'x@example.com', class: 'hard' }))?.reason,
      'hard-bounce',
    );
    await s.store.gateway.insertBounces(
      [0, 1, 2].map(() => ({ ...bounce(tenantId, at, 'soft'), recipient: 'x@example.com' })),
    );
    assert.equal(
      await s.suppressions.recordBounce({ ...base, recipient: 'x@example.com', class: 'soft' }),
      null,
    );
    const found = await s.suppressions.check(tenantId, 'x@example.com');
    assert.deepEqual([found?.reason, found?.expiresAt], ['hard-bounce', null]);
    const other = await s.accounts.addTenant('other');
    assert.equal(await s.suppressions.check(other.id, 'x@example.com'), null, 'per tenant');
  });
});

test('addresses: the domain is normalised (case, IDNA), the local part is kept as written; bad input is refused', async () => {
  await withServices(async (s, _clock, tenantId) => {
    const added = await s.suppressions.add(tenantId, {
      address: ' <Reader@BÜCHER.Example> ',
      actor: 'test',
      source: 'api',
      why: 'asked us to stop',
    });
    assert.ok(added.ok);
    assert.equal(added.value.address, 'Reader@xn--bcher-kva.example');
    assert.ok(await s.suppressions.check(tenantId, 'Reader@bücher.example'));
    assert.equal(await s.suppressions.check(tenantId, 'reader@xn--bcher-kva.example'), null, 'RFC 5321 §2.4');
    for (const bad of [
      'no-at-sign',
      '@example.com',
      'a@',
      'a b@example.com',
      `${'x'.repeat(65)}@example.com`,
      'a@exa mple.com',
    ]) {
      const r = await s.suppressions.add(tenantId, { address: bad, actor: 'test', source: 'api', why: 'x' });
      assert.equal(r.ok, false, bad);
    }
    const removed = await s.suppressions.remove(tenantId, 'Reader@Bücher.example', 'test', 'sorted out');
    assert.deepEqual(removed, { ok: true, value: true });
  });
});

test('CSV: import reports bad rows by line, keeps reasons and expiry, skips expired rows; export imports back the same', async () => {
  await withServices(async (s, _clock, tenantId) => {
    const csv = [
      'Address,Reason,Evidence,Expires_At',
      'a@example.com,hard-bounce,"550 5.1.1 no such user, really",',
      'b@example.com,,"said ""stop""",',
      'not an address,manual,,',
      'c@example.com,spam-trap,,',
      'd@example.com,soft-bounce,,2026-12-10T00:00:00Z',
      'e@example.com,soft-bounce,,2026-11-01T00:00:00Z',
      '=cmd@example.com,manual,,',
      '',
    ].join('\r\n');
    const outcome = await s.suppressions.importCsv(tenantId, csv, 'cli');
    assert.ok(outcome.ok);
    assert.equal(outcome.value.added, 4);
    assert.equal(outcome.value.unchanged, 1, 'the expired row');
    assert.deepEqual(
      outcome.value.problems.map((p) => p.line),
      [4, 5],
    );
    const chunks: string[] = [];
    for await (const c of s.suppressions.exportCsv(tenantId)) chunks.push(c);
    const exported = chunks.join('');
    const rows = parseCsv(exported).records.map((r) => r.fields);
    assert.deepEqual(rows[0], [
      'address',
      'reason',
      'source',
      'evidence',
      'created_at',
      'expires_at',
      'created_by',
      'domain',
    ]);
    assert.deepEqual(
      rows
        .slice(1)
        .map((r) => [r[0], r[1], r[3], r[5]])
        .sort(),
      [
        ["'=cmd@example.com", 'manual', '', ''],
        ['a@example.com', 'hard-bounce', '550 5.1.1 no such user, really', ''],
        ['b@example.com', 'manual', 'said "stop"', ''],
        ['d@example.com', 'soft-bounce', '', '2026-12-10T00:00:00.000Z'],
      ],
      'a field that would start a spreadsheet formula is prefixed with a quote',
    );
    const other = await s.accounts.addTenant('other');
    const back = await s.suppressions.importCsv(other.id, exported.replace("'=cmd", '=cmd'), 'cli');
    assert.ok(back.ok);
    assert.deepEqual([back.value.added, back.value.problems.length], [4, 0]);
    const bad = await s.suppressions.importCsv(tenantId, 'email\r\nx@example.com\r\n', 'cli');
    assert.deepEqual(bad, {
      ok: false,
      error: 'The first line must be a header naming an "address" column.',
    });
    const twice = await s.suppressions.importCsv(
      tenantId,
      'address\r\nt@example.com\r\nt@example.com\r\n',
      'cli',
    );
    assert.deepEqual(
      twice.ok && [twice.value.added, twice.value.unchanged],
      [1, 1],
      'a repeated address counts once',
    );
    const open = await s.suppressions.importCsv(tenantId, 'address\r\n"x@example.com\r\n', 'cli');
    assert.equal(open.ok, false);
  });
});

test('purgeExpired: an expired entry goes (with an audit row), one in force stays', async () => {
  await withServices(async (s, clock, tenantId) => {
    await s.suppressions.add(tenantId, {
      address: 'brief@example.com',
      actor: 'test',
      source: 'api',
      why: 'for a week',
      expiresAt: '2026-12-08T00:00:00.000Z',
    });
    await s.suppressions.add(tenantId, {
      address: 'kept@example.com',
      actor: 'test',
      source: 'api',
      why: 'x',
    });
    assert.equal(await s.suppressions.purgeExpired(), 0, 'nothing has expired yet');
    clock.advance(8 * DAY);
    assert.equal(await s.suppressions.purgeExpired(), 1);
    const page = await s.suppressions.list(tenantId, { limit: 10, offset: 0 });
    assert.deepEqual(
      page.items.map((e) => e.address),
      ['kept@example.com'],
    );
    const audit = await s.suppressions.audit(tenantId, 'brief@example.com');
    assert.ok(audit.ok);
    assert.deepEqual(
      audit.value.map((a) => [a.action, a.actor, a.why]),
      [
        ['removed', 'senderd', 'expired'],
        ['added', 'test', 'for a week'],
      ],
    );
  });
});

test("CSV: a domain column scopes rows to one of the tenant's sender domains; another domain is a bad row; export carries it", async () => {
  await withServices(async (s, _clock, tenantId) => {
    await s.domains.add(tenantId, 'news.example.com');
    const csv = [
      'address,domain',
      'a@example.com,News.Example.com',
      'a@example.com,',
      'b@example.com,shop.other.example',
      '',
    ].join('\r\n');
    const outcome = await s.suppressions.importCsv(tenantId, csv, 'cli');
    assert.ok(outcome.ok);
    assert.equal(outcome.value.added, 2, 'one address in two scopes is two entries');
    assert.deepEqual(
      outcome.value.problems.map((p) => [p.line, p.message]),
      [[4, '"shop.other.example" is not one of this tenant\'s sender domains.']],
    );
    assert.equal(
      (await s.suppressions.check(tenantId, 'a@example.com', 'news.example.com'))?.domain,
      undefined,
    );
    const chunks: string[] = [];
    for await (const c of s.suppressions.exportCsv(tenantId)) chunks.push(c);
    const rows = parseCsv(chunks.join('')).records.map((r) => [r.fields[0], r.fields[7]]);
    assert.deepEqual(rows.slice(1).sort(), [
      ['a@example.com', ''],
      ['a@example.com', 'news.example.com'],
    ]);
    const again = await s.suppressions.importCsv(tenantId, chunks.join(''), 'cli');
    assert.deepEqual(
      again.ok && [again.value.added, again.value.unchanged],
      [0, 2],
      'the export imports back',
    );
  });
});
