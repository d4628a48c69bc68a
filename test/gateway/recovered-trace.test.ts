/**
 * A message whose trace row was not yet written when the process died (the spool's fsync came first, the row's
 * batched commit never did) gets a row from its spool record when the gateway recovers it, before its first
 * delivery attempt: otherwise a DSN to its VERP address, a complaint or an unsubscribe would find no message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { SmtpClient } from '../../src/gateway/index.ts';
import { openServices } from '../../src/services.ts';
import { spawnGatewayChild, prepareGatewayChild, type GatewayChild } from '../support/gateway-child.ts';
import { startSink } from '../support/gateway.ts';
import { corpusPublicSuffixes, tempDir, testConfig } from '../support/node.ts';

const SLOW_ROWS = ['gateway.trace.messageRowSeconds=60', 'gateway.trace.flushSeconds=60'];

test('a message recovered from the spool without its trace row gets one before it is delivered', async () => {
  const dir = tempDir('senderd-recovered-trace-');
  const sink = await startSink();
  let gateway: GatewayChild | undefined;
  try {
    const specPath = await prepareGatewayChild({
      dir: dir.path,
      smarthostPort: sink.port,
      algorithms: ['rsa-sha256'],
      flags: SLOW_ROWS,
    });
    gateway = await spawnGatewayChild(specPath);
    const client = await SmtpClient.connect({
      host: '127.0.0.1',
      port: gateway.relayPort,
      heloName: 'load.test',
      tls: 'none',
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 10_000,
    });
    const message = Buffer.from(
      'From: news@example.com\r\nTo: someone@sink.test\r\nSubject: recovered\r\n\r\nbody\r\n',
    );
    const result = await client.send('news@example.com', ['someone@sink.test'], message);
    assert.equal(result.data?.code, 250);
    client.close();
    // The row's commit is 60 s away and delivery waits for it, so nothing can have left yet.
    assert.equal(sink.messages.length, 0);
    gateway.child.kill('SIGKILL');
    await gateway.exited;

    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { flags: string[] };
    const flags = spec.flags.filter((f) => !SLOW_ROWS.includes(f));
    writeFileSync(specPath, JSON.stringify({ ...spec, flags }));
    gateway = await spawnGatewayChild(specPath);
    const [delivered] = await sink.waitFor(1);
    const id = /^b-(.+?)-0-/.exec(delivered!.mailFrom)?.[1];
    assert.ok(id !== undefined, `a VERP return path: ${delivered!.mailFrom}`);

    gateway.child.kill('SIGKILL');
    await gateway.exited;
    gateway = undefined;
    const services = await openServices(testConfig(dir.path, flags), {
      publicSuffixes: corpusPublicSuffixes(),
    });
    try {
      const row = await services.store.gateway.messageById(id);
      assert.ok(row !== null, 'the recovered message has a trace row');
      assert.deepEqual(
        row.recipients.map((r) => r.address),
        ['someone@sink.test'],
      );
      assert.equal(row.recipients[0]!.envelopeFrom, delivered!.mailFrom);
    } finally {
      await services.close();
    }
  } finally {
    if (gateway !== undefined) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    await sink.close();
    dir.remove();
  }
});
