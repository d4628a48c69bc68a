/**
 * The retention setting: `tracking.retentionDays` days after an event, the purge (the `tracking-purge` job's pass)
 * deletes it; younger events stay. The business clock is a ManualClock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/index.ts';
import type { TrackingEvent } from '../../src/tracking/index.ts';
import { openTestServices } from '../support/node.ts';

test('the purge deletes events older than tracking.retentionDays and keeps the rest', async () => {
  const clock = new ManualClock('2026-12-10T12:00:00Z');
  const s = await openTestServices({ set: ['tracking.retentionDays=3'], runtime: { clock } });
  try {
    const tenant = await s.accounts.addTenant('acme');
    const visit = (at: string): TrackingEvent => ({
      tenantId: tenant.id,
      domainId: null,
      senderDomain: null,
      messageId: 'm1',
      recipientIndex: 0,
      kind: 'open',
      linkIndex: 0,
      url: '',
      at,
      clientNetwork: '',
      userAgent: '',
      class: 'human',
      rule: 'none',
    });
    await s.store.tracking.insertAll([
      visit('2026-12-07T11:59:59.000Z'),
      visit('2026-12-07T12:00:01.000Z'),
      visit('2026-12-10T11:00:00.000Z'),
    ]);
    assert.equal(await s.tracking.service.purge(), 1);
    assert.deepEqual(
      (await s.tracking.service.events(tenant.id, { limit: 10 })).map((e) => e.at),
      ['2026-12-10T11:00:00.000Z', '2026-12-07T12:00:01.000Z'],
    );
    assert.equal(await s.tracking.service.purge(), 0, 'nothing more to delete');
  } finally {
    await s.close();
  }
});
