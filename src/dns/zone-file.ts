import { rdataText } from './resource-record.ts';
import type { Zone } from './zone.ts';

/**
 * The zone as a master file (RFC 1035 §5) that BIND, NSD and Knot load: the SOA first, then every owner in
 * canonical order, absolute names throughout so the file reads the same wherever it is included.
 */
export function renderZoneFile(zone: Zone, header: readonly string[] = []): string {
  const lines = header.map((h) => `; ${h}`);
  lines.push(`$ORIGIN ${zone.apex}.`);
  for (const rr of zone.records()) {
    lines.push(`${rr.name}.\t${rr.ttl}\tIN\t${rr.data.type}\t${rdataText(rr.data)}`);
  }
  return lines.join('\n') + '\n';
}
