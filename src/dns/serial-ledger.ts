import type { DnsRepository, StoredSerial } from './ports.ts';
import { nextSerial, serialGreater } from './serial.ts';

/**
 * Decides and stores the serial for a zone content (by digest), so that the serial never goes down: not across
 * restarts, not when another process (a second node, `senderd zone export`) stored one first. Equal content
 * keeps its stored serial; new content gets a serial ahead of both the stored one and `proposed` (the one
 * this process may already serve). A compare-and-set settles races between processes.
 */
export async function settleSerial(
  repo: Pick<DnsRepository, 'readSerial' | 'compareAndSetSerial'>,
  zone: string,
  digest: string,
  proposed: number | null,
  now: () => Date,
): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await repo.readSerial(zone);
    if (
      stored !== null &&
      stored.digest === digest &&
      (proposed === null || !serialGreater(proposed, stored.serial))
    )
      return stored.serial;
    let candidate = proposed ?? nextSerial(stored?.serial ?? null, now());
    if (stored !== null && !serialGreater(candidate, stored.serial))
      candidate = nextSerial(stored.serial, now());
    const next: StoredSerial = { serial: candidate, digest };
    if (await repo.compareAndSetSerial(zone, stored, next)) return candidate;
  }
  throw new Error(`could not store the serial of zone ${zone}: too much contention`);
}
