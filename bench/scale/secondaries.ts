/**
 * The secondaries side of `npm run bench:scale`: NSD and Knot taking the zone from senderd by IXFR with TSIG, the
 * bytes of a transfer as kdig counts them, and the time from a change to both secondaries serving it.
 */
import { spawn } from 'node:child_process';
import { decodeMessage } from '../../src/dns/message-decoder.ts';
import { queryPacket, udpExchange } from '../../test/support/dns-packets.ts';

export const TSIG = {
  name: 'xfr.bench.example.net',
  algorithm: 'hmac-sha256' as const,
  secret: Buffer.alloc(32, 0x17).toString('base64'),
};

/** The size kdig reports for a transfer (`;; Received N B (m messages, r records)`), signed with the key. */
export function transferBytes(
  port: number,
  zone: string,
  type: 'AXFR' | `IXFR=${number}`,
): Promise<{ bytes: number; messages: number; records: number }> {
  return new Promise((resolve, reject) => {
    const key = `${TSIG.algorithm}:${TSIG.name}:${TSIG.secret}`;
    const child = spawn(
      'kdig',
      ['@127.0.0.1', '-p', String(port), '-y', key, zone, type, '+noall', '+stats'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Only the last lines matter: the records of a million domains stream past.
    let tail = '';
    child.stdout.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4096)));
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const m = /;; Received (\d+) B \((\d+) messages?, (\d+) records?\)/.exec(tail);
      if (m === null) return reject(new Error(`kdig ${type}: no statistics\n${errors}${tail}`));
      resolve({ bytes: Number(m[1]), messages: Number(m[2]), records: Number(m[3]) });
    });
  });
}

/** Whether the server at `port` answers `name` TXT with a record containing `needle`. */
export async function serves(port: number, name: string, needle: string): Promise<boolean> {
  const answer = await udpExchange(port, queryPacket({ name, type: 16, edns: { payloadSize: 4096 } }), 1000);
  const decoded = answer === null ? null : decodeMessage(answer);
  return decoded !== null && decoded.answer.some((r) => r.data.replace(/" "/g, '').includes(needle));
}

/** Milliseconds until each server serves the record (by port), asking each in turn until they all do. */
export async function untilServed(
  ports: readonly number[],
  name: string,
  needle: string,
  timeoutMs: number,
  started = performance.now(),
): Promise<Map<number, number>> {
  const served = new Map<number, number>();
  while (served.size < ports.length) {
    for (const port of ports) {
      if (!served.has(port) && (await serves(port, name, needle)))
        served.set(port, performance.now() - started);
    }
    if (performance.now() - started > timeoutMs) {
      const missing = ports.filter((p) => !served.has(p)).join(', ');
      throw new Error(`${name} not served within ${timeoutMs} ms by the server(s) on port ${missing}`);
    }
    if (served.size < ports.length) await new Promise((r) => setTimeout(r, 5));
  }
  return served;
}
