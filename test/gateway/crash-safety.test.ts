import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient } from '../../src/gateway/index.ts';
import { spawnGatewayChild, prepareGatewayChild, type GatewayChild } from '../support/gateway-child.ts';
import { startSink } from '../support/gateway.ts';
import { tempDir } from '../support/node.ts';

/**
 * Crash safety: 5,000 messages over 10 connections while the gateway process is killed with SIGKILL three times
 * and restarted. Every message that got a 250 must reach the sink. Duplicates are counted and reported: a
 * message delivered whose "delivered" state had not reached the disk is sent again after the restart (at least
 * once, never lost), and a client that lost the 250 with the connection sends its message again.
 */

const TOTAL = 5_000;
const KILL_AT = [1_000, 2_500, 4_000];

test(
  'crash safety: SIGKILL three times during 5,000 messages; every 250 is delivered',
  { timeout: 180_000 },
  async (t) => {
    const dir = tempDir('senderd-crash-');
    const sink = await startSink();
    let gateway: GatewayChild | undefined;
    try {
      const spec = await prepareGatewayChild({
        dir: dir.path,
        smarthostPort: sink.port,
        algorithms: ['rsa-sha256'],
      });
      gateway = await spawnGatewayChild(spec);
      let current = gateway;
      const acked = new Set<number>();
      let restarting: Promise<void> | undefined;
      const kills: number[] = [];
      let tries = 0;

      const restart = () =>
        (restarting ??= (async () => {
          kills.push(acked.size);
          current.child.kill('SIGKILL');
          await current.exited;
          current = await spawnGatewayChild(spec);
          gateway = current;
          restarting = undefined;
        })());

      let next = 0;
      const worker = async () => {
        let client: SmtpClient | undefined;
        let pending: number | undefined;
        while (pending !== undefined || next < TOTAL) {
          const seq = pending ?? next++;
          pending = seq;
          if (restarting) await restarting;
          try {
            client ??= await SmtpClient.connect({
              host: '127.0.0.1',
              port: current.relayPort,
              heloName: 'load.test',
              tls: 'none',
              connectTimeoutMs: 5_000,
              commandTimeoutMs: 10_000,
            });
            const attempt = ++tries;
            const message = Buffer.from(
              `From: load@example.com\r\nTo: sink@sink.test\r\nSubject: message ${seq}\r\nX-Seq: ${seq}\r\nX-Try: ${attempt}\r\n\r\n${'body line\r\n'.repeat(150)}`,
            );
            const result = await client.send('load@example.com', ['sink@sink.test'], message);
            if (result.data?.code === 250) {
              acked.add(seq);
              pending = undefined;
              if (KILL_AT[kills.length] !== undefined && acked.size >= KILL_AT[kills.length]!) void restart();
            }
          } catch {
            client?.close();
            client = undefined;
            await (restarting ?? new Promise((resolve) => setTimeout(resolve, 20)));
          }
        }
        await client?.quit();
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      assert.equal(acked.size, TOTAL);
      assert.equal(kills.length, 3, `killed at ${kills.join(', ')}`);

      const seqOf = (data: Buffer) => Number(/^X-Seq: (\d+)$/m.exec(data.toString('latin1'))?.[1]);
      const deadline = Date.now() + 90_000;
      for (;;) {
        const seen = new Set(sink.messages.map((m) => seqOf(m.data)));
        if ([...acked].every((s) => seen.has(s))) break;
        if (Date.now() > deadline) {
          const missing = [...acked].filter((s) => !seen.has(s));
          assert.fail(
            `${missing.length} acknowledged messages never arrived, e.g. ${missing.slice(0, 5).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const copies = new Map<number, number>();
      const sameTry = new Map<string, number>();
      for (const m of sink.messages) {
        const text = m.data.toString('latin1');
        const seq = seqOf(m.data);
        copies.set(seq, (copies.get(seq) ?? 0) + 1);
        const key = `${seq}/${/^X-Try: (\d+)$/m.exec(text)?.[1]}`;
        sameTry.set(key, (sameTry.get(key) ?? 0) + 1);
        assert.match(text, /^DKIM-Signature: /m);
      }
      const duplicates = [...copies.values()].reduce((sum, n) => sum + n - 1, 0);
      const redelivered = [...sameTry.values()].reduce((sum, n) => sum + n - 1, 0);
      const summary =
        `acknowledged ${acked.size}, delivered ${sink.messages.length} copies of ${copies.size} messages; ` +
        `duplicates ${duplicates} (${redelivered} redelivered by the gateway after a crash, ` +
        `${duplicates - redelivered} resent by the client after a lost reply); SIGKILL at ${kills.join(', ')} acks; ${tries} submissions`;
      t.diagnostic(summary);
      console.log(`crash-safety: ${summary}`);
      assert.equal(copies.size >= acked.size, true);
    } finally {
      if (gateway) {
        gateway.child.kill('SIGTERM');
        await gateway.exited;
      }
      await sink.close();
      dir.remove();
    }
  },
);
