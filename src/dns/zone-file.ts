import { presentRecord } from './wire-record.ts';
import type { ZoneSnapshot } from './zone-snapshot.ts';

/**
 * The zone as a master file (RFC 1035 §5) that BIND, NSD and Knot load: the SOA first, then each name's records
 * (a sender domain's names together), absolute names throughout so the file reads the same wherever it is
 * included. Made in chunks, so a zone of a million domains is written without being held as one string.
 */
export function* zoneFileChunks(snapshot: ZoneSnapshot, header: readonly string[] = []): Generator<string> {
  let chunk = header.map((h) => `; ${h}\n`).join('') + `$ORIGIN ${presentOrigin(snapshot)}\n`;
  for (const r of snapshot.all()) {
    chunk += presentRecord(r) + '\n';
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

/** The whole master file as one string (for small zones and tests). */
export function renderZoneFile(snapshot: ZoneSnapshot, header: readonly string[] = []): string {
  return [...zoneFileChunks(snapshot, header)].join('');
}

function presentOrigin(snapshot: ZoneSnapshot): string {
  return `${snapshot.soa.name}.`;
}
