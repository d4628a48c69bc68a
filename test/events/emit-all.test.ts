/**
 * EventService.emitAll with `onlyDelivered` (opens and clicks): an event is stored, with its outbox rows, only for
 * a tenant whose webhook or e-mail takes it; without the option every event is stored, as `emit` does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openServices } from '../../src/main.ts';
import { corpusPublicSuffixes, tempDir, testConfig } from '../support/node.ts';

const click = (tenantId: string, n: number) => ({
  tenantId,
  domainId: null,
  type: 'tracking.click',
  severity: 'info' as const,
  message: `Link ${n} clicked (human).`,
  data: { linkIndex: n },
});

test('emitAll with onlyDelivered keeps an event only where a channel takes it', async () => {
  const dir = tempDir();
  const s = await openServices(testConfig(dir.path, ['events.allowPrivateWebhooks=true']), {
    publicSuffixes: corpusPublicSuffixes(),
  });
  try {
    const silent = (await s.accounts.addTenant('silent')).id;
    const hooked = (await s.accounts.addTenant('hooked')).id;
    const mailed = (await s.accounts.addTenant('mailed')).id;
    const severe = (await s.accounts.addTenant('severe')).id;
    await s.events.setNotifications(hooked, { webhookUrl: 'http://127.0.0.1:9/hooks' });
    await s.events.setNotifications(mailed, { emailTo: ['ops@example.net'] });
    await s.events.setNotifications(severe, {
      webhookUrl: 'http://127.0.0.1:9/hooks',
      minSeverity: 'warning',
    });
    const tenants = [silent, hooked, mailed, severe];
    await s.events.emitAll(
      tenants.flatMap((t) => [click(t, 1), click(t, 2)]),
      { onlyDelivered: true },
    );
    const stored = async (t: string) => (await s.events.list(t)).map((e) => e.message).sort();
    assert.deepEqual(await stored(silent), [], 'no channel: nothing kept');
    assert.deepEqual(await stored(hooked), ['Link 1 clicked (human).', 'Link 2 clicked (human).']);
    assert.deepEqual(await stored(mailed), ['Link 1 clicked (human).', 'Link 2 clicked (human).']);
    assert.deepEqual(await stored(severe), [], 'below the minimum severity: nothing kept');
    for (const [tenant, channel] of [
      [hooked, 'webhook'],
      [mailed, 'email'],
    ] as const)
      for (const e of await s.events.list(tenant))
        assert.deepEqual(
          (await s.store.events.deliveriesOf(e.id)).map((d) => [d.channel, d.status]),
          [[channel, 'pending']],
        );
    // Without the option, every event is kept, as emit keeps it.
    await s.events.emitAll([click(silent, 3)]);
    assert.deepEqual(await stored(silent), ['Link 3 clicked (human).']);
  } finally {
    await s.close();
    dir.remove();
  }
});
