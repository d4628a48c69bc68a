import { Worker } from 'node:worker_threads';
import type { ArenaBuffers } from './answer-store.ts';
import type { UdpServer } from './udp-server.ts';
import type { UdpWorkerData, UdpWorkerEvent } from './udp-worker.ts';

/**
 * Starts `count` UDP worker threads on one port (SO_REUSEPORT). Resolves when every one is listening, or
 * rejects (stopping those that started) when one cannot bind.
 */
export async function startUdpWorkers(
  count: number,
  data: UdpWorkerData,
  onError: (message: string) => void,
): Promise<UdpServer & { swap(buffers: ArenaBuffers): void }> {
  const workers: Worker[] = [];
  const exited = new Set<Worker>();
  const stopAll = () =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (exited.has(w)) return resolve();
            w.once('exit', () => resolve());
            w.postMessage({ stop: true });
            // A worker that does not stop within a second is terminated.
            setTimeout(() => void w.terminate(), 1000).unref();
          }),
      ),
    ).then(() => undefined);
  try {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./udp-worker.ts', import.meta.url), {
        // Each worker counts in a slice of its own: slices 1..count (the main thread has 0).
        workerData: { ...data, counters: { buffer: data.counters.buffer, slice: i + 1 } },
        // A worker allocates little per query and holds no zone (the arena is shared): a small heap suffices.
        resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 },
      });
      workers.push(worker);
      worker.once('exit', () => exited.add(worker));
      await new Promise<void>((resolve, reject) => {
        worker.on('message', (event: UdpWorkerEvent) => {
          if ('ready' in event) resolve();
          else if ('failed' in event) reject(Object.assign(new Error(event.failed), { code: event.code }));
          else onError(event.error);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`UDP worker exited with code ${code}`)));
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    port: data.port,
    address: data.host,
    swap: (buffers) => {
      for (const w of workers) w.postMessage({ swap: buffers });
    },
    close: stopAll,
  };
}
