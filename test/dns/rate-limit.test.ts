/** Response rate limiting over UDP (off by default): a burst from one client is cut to the configured rate. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { decodeMessage } from '../../src/dns/message-decoder.ts';
import { Flag } from '../../src/dns-wire/wire-codes.ts';
import { queryPacket, tcpExchange } from '../support/dns-packets.ts';
import { startDnsTestNode } from '../support/dns-node.ts';

const Z = 'mail.example.net';

async function burst(port: number, count: number): Promise<{ full: number; truncated: number }> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
  let full = 0;
  let truncated = 0;
  socket.on('message', (msg) => {
    const m = decodeMessage(msg);
    if (m === null) return;
    if ((m.flags & Flag.TC) !== 0) truncated++;
    else full++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  for (let i = 0; i < count; i++) {
    await new Promise<void>((done) =>
      socket.send(queryPacket({ id: i, name: Z, type: 6 }), port, '127.0.0.1', () => done()),
    );
  }
  // The answers that will come have come when none arrived for 200 ms after the first (at most 5 s).
  const deadline = Date.now() + 5000;
  let seen = 0;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (full + truncated !== seen) {
      seen = full + truncated;
      quietSince = Date.now();
    } else if (seen > 0 && Date.now() - quietSince >= 200) break;
  }
  socket.close();
  return { full, truncated };
}

test('with rate limiting on, a burst gets the rate, then every second answer truncated, the rest dropped', async () => {
  const t = await startDnsTestNode({
    set: ['dns.rateLimit=true', 'dns.rateLimitResponses=5', 'dns.rateLimitSlip=2'],
  });
  try {
    const { full, truncated } = await burst(t.port, 40);
    assert.ok(full >= 5 && full <= 8, `${full} full answers`);
    assert.ok(truncated >= 14 && truncated <= 19, `${truncated} truncated answers`);
    // TCP is not limited: the way a real client gets its answer after a TC=1.
    const tcp = await tcpExchange(t.port, [queryPacket({ name: Z, type: 6 })], 1);
    assert.equal(decodeMessage(tcp[0]!)?.answer.length, 1);
  } finally {
    await t.close();
  }
});

test('without it (the default) every query is answered', async () => {
  const t = await startDnsTestNode();
  try {
    const { full, truncated } = await burst(t.port, 40);
    assert.deepEqual({ full, truncated }, { full: 40, truncated: 0 });
  } finally {
    await t.close();
  }
});
