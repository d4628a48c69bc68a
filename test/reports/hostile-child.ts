/**
 * Runs the hostile inputs through the intake pipeline in its own process, so its peak RSS is its own, and prints
 * one JSON line per case. Started by hostile.test.ts; not a test by itself.
 */
import { Readable } from 'node:stream';
import type { IngestOutcome } from '../../src/reports/index.ts';
import { openTestServices } from '../support/node.ts';
import {
  BILLION_LAUGHS,
  XXE,
  goodReport,
  gzipBomb,
  randomBytesStream,
  truncatedGzip,
  zipBomb,
} from './hostile-inputs.ts';

const GIB = 1024 * 1024 * 1024;
const s = await openTestServices();
const tenant = await s.accounts.addTenant('acme');
await s.domains.add(tenant.id, 'example.com', {});

const cases: Array<[string, () => AsyncIterable<Uint8Array>]> = [
  ['zip bomb, honest zip64 header (10 GiB)', () => Readable.from([zipBomb(10 * 1024, true)])],
  ['zip bomb, lying header (10 GiB)', () => Readable.from([zipBomb(10 * 1024, false)])],
  ['gzip bomb (10 GiB)', () => Readable.from(gzipBomb(10 * 1024))],
  ['XXE', () => Readable.from([Buffer.from(XXE)])],
  ['billion laughs', () => Readable.from([Buffer.from(BILLION_LAUGHS)])],
  ['truncated gzip', () => Readable.from([truncatedGzip('example.com')])],
  ['not XML', () => Readable.from([Buffer.from('Dear postmaster, this is not a report.\n')])],
  ['HTML', () => Readable.from([Buffer.from('<!-- x --><html><body>hello</body></html>')])],
  ['1 GiB of random bytes', () => Readable.from(randomBytesStream(GIB))],
  [
    'a good report after all that',
    () => Readable.from([Buffer.from(goodReport('example.com', 'after-the-storm'))]),
  ],
];

for (const [name, source] of cases) {
  const started = performance.now();
  const result = await s.reports.ingest({ source: source(), via: 'import', tenantId: tenant.id, name });
  const o: IngestOutcome | undefined = result.outcomes[0];
  console.log(
    JSON.stringify({
      name,
      status: o?.status,
      reason: o?.status === 'quarantined' ? o.reason : null,
      message: o?.status === 'quarantined' ? o.message : null,
      bytes: result.bytes,
      ms: Math.round(performance.now() - started),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
const { rows: quarantine } = await s.reportStats.quarantine(tenant.id, 100);
console.log(JSON.stringify({ quarantined: quarantine.length, kept: quarantine.map((q) => q.rawKept) }));
await s.close();
