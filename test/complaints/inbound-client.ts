/** What the complaint tests share: mail sent to the node's inbound MX as a receiver sends it, and a wait. */
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { Harness } from '../gateway/harness.ts';

/** Polls `probe` until it gives a value (a deadline of 15 s, no fixed sleep in the test itself). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends raw bytes to the inbound MX as a feedback loop would; resolves with the final reply or rejects with it. */
export async function toInbound(h: Harness, from: string, to: string, raw: string): Promise<string> {
  const inbound = h.node.node.components.find((c) => c.name === 'inbound');
  assert.ok(inbound, 'the inbound component runs');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(new URL(inbound.address).port),
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = (await transport.sendMail({ envelope: { from, to }, raw })) as { response: string };
    return info.response;
  } finally {
    transport.close();
  }
}
