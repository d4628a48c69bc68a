import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, quietLogger } from '../core/index.ts';
import type { PlannedRecord, SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { APEX, sampleSettings } from '../../test/support/dns-zone.ts';
import type { ChangeRow, DnsRepository, StoredJournalEntry, StoredSerial, ZoneSource } from './ports.ts';
import { RRType } from '../dns-wire/index.ts';
import type { WireRecord } from './wire-record.ts';
import { ZoneKeeper } from './zone-keeper.ts';

/** In-memory ports: domains with one TXT record each, a change log the test appends to (in any order). */
function fakes() {
  const domains = new Map<string, SenderDomain>();
  const changes: ChangeRow[] = [];
  let stored: StoredSerial | null = null;
  const journal: Array<StoredJournalEntry & { id: number }> = [];
  const broken = new Set<string>();
  /** Called when a domain is planned: lets a test change the store in the middle of a build or resync. */
  const onPlan = new Map<string, () => void>();
  let storeDown = false;
  const domain = (id: string, text: string) =>
    ({ id, name: `${id}.example` as DomainName, token: id, settings: { text } }) as unknown as SenderDomain;
  const source: ZoneSource = {
    listDomains: () => Promise.resolve([...domains.values()]),
    findDomain: (id) => Promise.resolve(domains.get(id) ?? null),
    hostedRecords: (d) => {
      onPlan.get(d.id)?.();
      return broken.has(d.id)
        ? Promise.reject(new Error(`cannot plan ${d.id}`))
        : Promise.resolve([
            {
              name: `${d.token}.dmarc.${APEX}`,
              ttl: 60,
              data: { type: 'TXT', text: (d.settings as unknown as { text: string }).text },
              purpose: 'dmarc',
              required: true,
              note: '',
            } satisfies PlannedRecord,
          ]);
    },
  };
  const repo: DnsRepository = {
    latestChangeId: () => Promise.resolve(Math.max(0, ...changes.map((c) => c.id))),
    changesSince: (after, limit) =>
      Promise.resolve(
        changes
          .filter((c) => c.id > after)
          .sort((a, b) => a.id - b.id)
          .slice(0, limit),
      ),
    readSerial: () => Promise.resolve(stored),
    compareAndSetSerial: (_zone, expected, next) => {
      if (storeDown) return Promise.reject(new Error('store down'));
      if (JSON.stringify(expected) !== JSON.stringify(stored)) return Promise.resolve(false);
      stored = next;
      return Promise.resolve(true);
    },
    appendJournal: (_zone, entry) => {
      journal.push({ id: journal.length + 1, ...entry });
      return Promise.resolve();
    },
    journalLinks: () =>
      Promise.resolve(journal.map(({ id, fromSerial, toSerial }) => ({ id, fromSerial, toSerial }))),
    journalChanges: (_zone, ids) =>
      Promise.resolve(new Map(journal.filter((e) => ids.includes(e.id)).map((e) => [e.id, e.changes]))),
  };
  return {
    source,
    repo,
    set: (id: string, text: string) => domains.set(id, domain(id, text)),
    drop: (id: string) => domains.delete(id),
    log: (id: number, subject: string, subjectId: string) => changes.push({ id, subject, subjectId }),
    broken,
    storeDown: (down: boolean) => (storeDown = down),
    journal,
    onPlan,
    setStored: (s: StoredSerial) => (stored = s),
  };
}

function keeper(f: ReturnType<typeof fakes>, clock = new ManualClock('2026-11-01T00:00:00Z')) {
  const published: number[] = [];
  const k = new ZoneKeeper({
    settings: sampleSettings(),
    source: f.source,
    repo: f.repo,
    clock,
    log: quietLogger(),
    pollIntervalMs: 1000,
    resyncIntervalMs: 600_000,
    journal: { maxBytes: 100_000, maxAgeMs: 86_400_000 },
    onPublish: (soa) => published.push(soa.data.type === 'SOA' ? soa.data.serial : -1),
  });
  return { k, published, clock };
}

const txt = (k: ZoneKeeper, id: string) => {
  const rr = k.zone.rrset(`${id}.dmarc.${APEX}`, RRType.TXT)?.[0];
  return rr === undefined ? undefined : Buffer.from(rr.rdata.subarray(1)).toString();
};

test('a domain change recomputes that domain, raises the serial and publishes', async () => {
  const f = fakes();
  f.set('a', 'v1');
  const { k, published } = keeper(f);
  await k.load();
  const first = k.serial;
  f.set('a', 'v2');
  f.log(1, 'domain', 'a');
  await k.poll();
  assert.equal(txt(k, 'a'), 'v2');
  assert.equal(k.serial, first + 1);
  assert.deepEqual(published, [first + 1]);
  await k.poll();
  assert.deepEqual(published, [first + 1], 'nothing new: no new serial');
});

test('a change that alters nothing raises no serial', async () => {
  const f = fakes();
  f.set('a', 'v1');
  const { k, published } = keeper(f);
  await k.load();
  f.log(1, 'domain', 'a');
  await k.poll();
  assert.deepEqual(published, []);
});

test('a row committed late with a lower id is still seen (PostgreSQL commit order)', async () => {
  const f = fakes();
  const { k } = keeper(f);
  await k.load();
  f.set('b', 'x');
  f.log(7, 'domain', 'b');
  await k.poll();
  f.set('c', 'y');
  f.log(6, 'domain', 'c'); // a transaction that got id 6 commits after the one with id 7
  await k.poll();
  assert.equal(txt(k, 'c'), 'y');
});

test('removed domains vanish; a platform change and the periodic resync recompute everything', async () => {
  const f = fakes();
  f.set('a', 'v1');
  f.set('b', 'v1');
  const { k, clock } = keeper(f);
  await k.load();
  f.drop('a');
  f.log(1, 'domain', 'a');
  await k.poll();
  assert.equal(txt(k, 'a'), undefined);
  f.set('b', 'v2'); // changed without a change row for it
  f.log(2, 'platform', 'config');
  await k.poll();
  assert.equal(txt(k, 'b'), 'v2');
  f.set('b', 'v3'); // and again, with no row at all: the resync finds it
  clock.advance(600_000);
  await k.poll();
  assert.equal(txt(k, 'b'), 'v3');
});

test('a restart over the same content keeps the serial; the stored serial is used across keepers', async () => {
  const f = fakes();
  f.set('a', 'v1');
  const one = keeper(f);
  await one.k.load();
  const two = keeper(f, new ManualClock('2026-11-02T00:00:00Z'));
  await two.k.load();
  assert.equal(two.k.serial, one.k.serial, 'a day later, unchanged: the same serial');
  f.set('a', 'v2');
  const three = keeper(f, new ManualClock('2026-11-01T00:00:00Z'));
  await three.k.load();
  assert.ok(three.k.serial > one.k.serial, 'changed while down, and a clock behind: still higher');
});

test('a domain that cannot be planned does not stop the zone, and is served once it can be', async () => {
  const f = fakes();
  f.set('a', 'v1');
  f.set('b', 'v1');
  f.broken.add('b');
  const { k } = keeper(f);
  await k.load();
  assert.equal(txt(k, 'a'), 'v1');
  assert.equal(txt(k, 'b'), undefined);
  await k.poll();
  assert.equal(txt(k, 'b'), undefined, 'still failing');
  f.broken.delete('b');
  await k.poll();
  assert.equal(txt(k, 'b'), 'v1', 'retried without a change row');
});

test('a serial the store could not take is stored and announced at the next poll', async () => {
  const f = fakes();
  const { k, published } = keeper(f);
  await k.load();
  f.set('a', 'v1');
  f.log(1, 'domain', 'a');
  f.storeDown(true);
  await assert.rejects(k.poll(), /store down/);
  assert.equal(txt(k, 'a'), 'v1', 'served at once');
  assert.deepEqual(published, [], 'but not announced before it is stored');
  f.storeDown(false);
  await k.poll();
  assert.deepEqual(published, [k.serial]);
});

const texts = (records: readonly WireRecord[] | undefined) =>
  (records ?? []).map((r) => `${r.name} ${Buffer.from(r.rdata.subarray(1)).toString()}`);

test('every new serial journals its difference; IXFR gets them condensed, from any serial the journal knows', async () => {
  const f = fakes();
  f.set('a', 'v1');
  f.set('b', 'v1');
  const { k, clock } = keeper(f);
  await k.load();
  const s0 = k.serial;
  f.set('a', 'v2');
  f.log(1, 'domain', 'a');
  await k.poll();
  const s1 = k.serial;
  clock.advance(1000);
  f.set('a', 'v3');
  f.drop('b');
  f.set('c', 'v1');
  f.log(2, 'domain', 'a');
  f.log(3, 'domain', 'b');
  f.log(4, 'domain', 'c');
  await k.poll();
  const s2 = k.serial;
  assert.deepEqual(
    f.journal.map((e) => [e.fromSerial, e.toSerial]),
    [
      [s0, s1],
      [s1, s2],
    ],
  );
  const one = await k.difference(s0, s1);
  assert.deepEqual(texts(one?.deleted), [`a.dmarc.${APEX} v1`]);
  assert.deepEqual(texts(one?.added), [`a.dmarc.${APEX} v2`]);
  const both = await k.difference(s0, s2);
  assert.deepEqual(texts(both?.deleted), [`a.dmarc.${APEX} v1`, `b.dmarc.${APEX} v1`], 'a: v1 to v3 once');
  assert.deepEqual(texts(both?.added).sort(), [`a.dmarc.${APEX} v3`, `c.dmarc.${APEX} v1`]);
  assert.equal(both?.fromSerial, s0);
  assert.equal(both?.toSerial, s2);
  assert.equal(await k.difference(s0 - 5, s2), null, 'a serial the journal never saw');
});

test('the journal follows the serial across the wrap of RFC 1982 arithmetic', async () => {
  const f = fakes();
  f.set('a', 'v0');
  const { k } = keeper(f);
  await k.load();
  // The clock just behind the stored serial (in 2106): new serials count up from it by one, through 2^32.
  f.setStored({ serial: 2 ** 32 - 2, digest: k.zone.digest() });
  const { k: k2 } = keeper(f, new ManualClock(new Date((2 ** 32 - 100) * 1000).toISOString()));
  await k2.load();
  assert.equal(k2.serial, 2 ** 32 - 2);
  const seen = [k2.serial];
  for (let i = 1; i <= 3; i++) {
    f.set('a', `v${i}`);
    f.log(i, 'domain', 'a');
    await k2.poll();
    seen.push(k2.serial);
  }
  assert.deepEqual(seen, [2 ** 32 - 2, 2 ** 32 - 1, 0, 1]);
  const across = await k2.difference(2 ** 32 - 2, 1);
  assert.deepEqual(texts(across?.deleted), [`a.dmarc.${APEX} v0`]);
  assert.deepEqual(texts(across?.added), [`a.dmarc.${APEX} v3`]);
});

test('a difference larger than the journal may hold is not journalled: IXFR across it sends the zone', async () => {
  const f = fakes();
  const { k } = keeper(f);
  await k.load();
  const s0 = k.serial;
  for (let i = 0; i < 400; i++) {
    f.set(`d${i}`, 'x'.repeat(200));
    f.log(i + 1, 'domain', `d${i}`);
  }
  await k.poll();
  assert.equal(f.journal.length, 0);
  assert.equal(await k.difference(s0, k.serial), null);
});

test('a change made while a resync runs is served before it ends, and the resync does not undo it', async () => {
  const f = fakes();
  for (let i = 0; i < 100; i++) f.set(`d${i}`, 'v1');
  const { k, clock, published } = keeper(f);
  await k.load();
  f.set('d0', 'stale'); // changed without a row: only the resync would find it
  const seenDuringResync: Array<string | undefined> = [];
  f.onPlan.set('d31', () => {
    // The last domain of the resync's first batch: now d0 changes, with a row.
    f.set('d0', 'v2');
    f.log(1, 'domain', 'd0');
  });
  f.onPlan.set('d64', () => seenDuringResync.push(txt(k, 'd0')));
  clock.advance(600_000);
  await k.poll();
  assert.deepEqual(seenDuringResync, ['v2'], 'applied between the resync batches');
  assert.equal(txt(k, 'd0'), 'v2', 'the resync planned d0 before the change and left it alone');
  assert.equal(published.length, 1, 'one new serial: the resync found nothing else');
});
