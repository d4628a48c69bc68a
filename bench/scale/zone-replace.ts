/**
 * The zone's share of a build, without the store: N sender domains' records (the shapes bench:scale's domains
 * plan) replaced into a fresh Zone, timed (`node --max-semi-space-size=8 bench/scale/zone-replace.ts 100000`).
 * For profiling the arena writes on their own (`--cpu-prof`); prints the wall and CPU time and a digest of the
 * zone, which must not change when the code is only made faster.
 */
import { createHash } from 'node:crypto';
import { Zone } from '../../src/dns/zone.ts';
import type { ResourceRecord } from '../../src/dns/resource-record.ts';

const N = Number(process.argv[2] ?? 100_000);
const Z = 'bench.example.net';
const key = `v=DKIM1; k=rsa; p=${createHash('sha512').update('key').digest('base64').repeat(5).slice(0, 392)}`;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const token = (i: number) => {
  let s = '';
  let x = (i * 2654435761) >>> 0;
  for (let j = 0; j < 12; j++) {
    s += BASE32[x & 31];
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + j) >>> 0;
  }
  return s;
};
function recordsOf(i: number): ResourceRecord[] {
  const t = token(i);
  const ttl = 3600;
  return [
    { name: `sd1.${t}.dkim.${Z}`, ttl, data: { type: 'TXT', strings: [key.slice(0, 255), key.slice(255)] } },
    {
      name: `${t}.dmarc.${Z}`,
      ttl,
      data: { type: 'TXT', strings: [`v=DMARC1; p=none; rua=mailto:${t}@reports.${Z}`] },
    },
    { name: `sender${i}.com._report._dmarc.reports.${Z}`, ttl, data: { type: 'TXT', strings: ['v=DMARC1'] } },
    { name: `${t}.bounce.${Z}`, ttl, data: { type: 'MX', preference: 10, exchange: `mx.${Z}` } },
    { name: `${t}.bounce.${Z}`, ttl, data: { type: 'TXT', strings: [`v=spf1 include:spf.${Z} -all`] } },
    { name: `${t}.spf.${Z}`, ttl, data: { type: 'TXT', strings: [`v=spf1 include:spf.${Z} -all`] } },
  ];
}

const zone = new Zone(Z);
zone.reserve(N);
zone.replace('platform', [
  { name: Z, ttl: 3600, data: { type: 'NS', host: `ns1.${Z}` } },
  { name: `ns1.${Z}`, ttl: 3600, data: { type: 'A', address: '192.0.2.1' } },
  { name: `mx.${Z}`, ttl: 3600, data: { type: 'A', address: '192.0.2.2' } },
]);
const started = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < N; i++) zone.replace(`domain:dom_${i}`, recordsOf(i));
const used = process.cpuUsage(cpu);
zone.setSoa({
  name: Z,
  ttl: 3600,
  data: {
    type: 'SOA',
    mname: `ns1.${Z}`,
    rname: `hostmaster.${Z}`,
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 1,
  },
});
const hash = createHash('sha256');
for (const r of zone.records())
  hash.update(`${r.name} ${r.type} ${r.ttl} ${Buffer.from(r.rdata).toString('hex')}\n`);
console.log(
  `${N} domains: ${(performance.now() - started).toFixed(0)} ms, ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU; ` +
    `${zone.size} names, digest ${zone.digest()}, records ${hash.digest('hex').slice(0, 16)}`,
);
