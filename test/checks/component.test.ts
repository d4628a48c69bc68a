import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode } from '../support/node.ts';

test('startNode runs the checks scheduler when checks.enabled, and stops it with the node', async () => {
  const on = await startTestNode({ set: ['checks.enabled=true'] });
  try {
    const component = on.node.components.find((c) => c.name === 'checks');
    assert.ok(component, 'a checks component');
    assert.match(component.address, /every 3600 s/);
  } finally {
    await on.close();
  }
  const off = await startTestNode();
  try {
    assert.equal(
      off.node.components.some((c) => c.name === 'checks'),
      false,
    );
  } finally {
    await off.close();
  }
});
