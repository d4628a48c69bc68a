/**
 * A UDP worker thread: its own SO_REUSEPORT socket on the shared port (the kernel spreads clients over the
 * sockets), reading the answers from the shared arena the main thread keeps up to date. It holds no copy of
 * the zone. Messages from the main thread: `{ swap: buffers }` when the arena moved, `{ stop: true }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArenaReader, type ArenaBuffers } from './answer-store.ts';
import { RateLimiter, type RateLimitSettings } from './rate-limiter.ts';
import { Responder } from './responder.ts';
import { transferAcl, type Secondary } from './transfer-acl.ts';
import type { TsigKey } from '../dns-wire/index.ts';
import { QueryCounters, type QueryCountersRef } from './query-counters.ts';
import { listenUdp } from './udp-server.ts';

export interface UdpWorkerData {
  readonly host: string;
  readonly port: number;
  readonly buffers: ArenaBuffers;
  readonly apexKey: Uint8Array;
  readonly ednsPayloadSize: number;
  readonly secondaries: readonly Secondary[];
  readonly tsigKeys: ReadonlyMap<string, TsigKey>;
  readonly rateLimit: RateLimitSettings | null;
  /** This worker's slice of the query counters (startUdpWorkers gives each its own). */
  readonly counters: QueryCountersRef;
}

export type UdpWorkerEvent =
  | { readonly ready: number }
  | { readonly failed: string; readonly code?: string | undefined }
  | { readonly error: string };

async function main(port: NonNullable<typeof parentPort>, data: UdpWorkerData): Promise<void> {
  const send = (event: UdpWorkerEvent) => port.postMessage(event);
  const reader = new ArenaReader(data.buffers);
  // The wall clock, written out here so the thread loads only what it needs (core/index.ts brings the logger).
  const clock = { now: () => new Date() };
  const responder = new Responder({
    answers: reader,
    apexKey: data.apexKey,
    ednsPayloadSize: data.ednsPayloadSize,
    allowTransfer: transferAcl(data.secondaries),
    tsigKeys: data.tsigKeys,
    now: () => Math.floor(clock.now().getTime() / 1000),
    onError: (error) =>
      send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  const limiter = data.rateLimit === null ? undefined : new RateLimiter(data.rateLimit, clock);
  try {
    const server = await listenUdp({
      host: data.host,
      port: data.port,
      responder,
      limiter,
      counters: new QueryCounters(data.counters),
      reusePort: true,
      onError: (error) => send({ error: error.message }),
    });
    port.on('message', (message: { swap?: ArenaBuffers; stop?: boolean }) => {
      if (message.swap !== undefined) reader.swap(message.swap);
      if (message.stop === true) void server.close().then(() => port.close());
    });
    send({ ready: server.port });
  } catch (error) {
    send({ failed: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
    port.close();
  }
}

if (parentPort !== null) void main(parentPort, workerData as UdpWorkerData);
