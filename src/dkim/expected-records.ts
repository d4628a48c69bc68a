import { hostedNames } from '../domains/index.ts';
import { publishedRecordOf } from './key-record.ts';
import type { DkimKey } from './model.ts';

/**
 * The DKIM TXT records the platform zone must serve for a domain, derived from key states alone: one per key in
 * the zone (revoked keys with an empty p=). Tests compare the record plan (and, after merging, the DNS server's
 * answers) with this list.
 */
export function expectedDkimRecords(
  token: string,
  zone: string,
  keys: readonly DkimKey[],
): Array<{ name: string; text: string }> {
  const names = hostedNames(token, zone);
  return keys
    .filter((k) => k.unpublishedAt === null)
    .map((k) => ({ name: names.dkim(k.selector), text: publishedRecordOf(k) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
