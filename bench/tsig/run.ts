/**
 * npm run bench:tsig — what TSIG (RFC 8945) costs senderd's DNS server, measured in-process (no sockets, so the
 * figures are the responder's own work): signed against unsigned SOA queries (verify + sign per query), and a
 * full AXFR of a zone of BENCH_DOMAINS sender domains (7 records each) signed (every message, §5.3.1) against
 * unsigned. Each figure is the best of BENCH_ROUNDS rounds; the ratios compare figures of the same run.
 */
import { APEX, domainRecords, sampleZone } from '../../test/support/dns-zone.ts';
import { collectMessages, queryPacket } from '../../test/support/dns-packets.ts';
import type { TsigKey } from '../../src/dns-wire/tsig-algorithm.ts';
import { signMessage, signStream } from '../../src/dns-wire/tsig.ts';
import { RRType } from '../../src/dns-wire/wire-codes.ts';

const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100_000);
const KEY: TsigKey = { name: 'xfr.example.net', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 7) };
const NOW = 1_700_000_000;

const z = sampleZone({ tsigKeys: new Map([[KEY.name, KEY]]), now: () => NOW, allowTransfer: true });
for (let i = 0; i < DOMAINS; i++) {
  const token = `t${i.toString(36).padStart(11, '0')}`;
  z.zone.replace(`domain:bench${i}`, domainRecords(token, `d${i}.example.com`));
}

function best(what: () => number): number {
  let top = 0;
  for (let r = 0; r < ROUNDS; r++) top = Math.max(top, what());
  return top;
}

/** Queries answered per second, each from a fresh copy of `packet` (the responder rewrites it in place). */
function queriesPerSecond(packet: Buffer): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < QUERIES; i++) z.responder.answer(Buffer.from(packet), 'udp', '192.0.2.1');
  return QUERIES / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Whole transfers per second, and the messages and bytes of one. */
async function transfersPerSecond(
  packet: Buffer,
): Promise<{ rate: number; messages: number; bytes: number }> {
  let messages = 0;
  let bytes = 0;
  let top = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const started = process.hrtime.bigint();
    const reply = z.responder.answer(Buffer.from(packet), 'tcp', '192.0.2.1');
    if (reply === null || Array.isArray(reply)) throw new Error('no transfer');
    const all = await collectMessages(reply.transfer);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    messages = all.length;
    bytes = all.reduce((n, m) => n + m.length, 0);
    top = Math.max(top, 1 / seconds);
  }
  return { rate: top, messages, bytes };
}

const soa = queryPacket({ name: APEX, type: RRType.SOA });
const signedSoa = signMessage(soa, { key: KEY, timeSigned: NOW }).message;
const axfr = queryPacket({ name: APEX, type: RRType.AXFR });
const signedAxfr = signMessage(axfr, { key: KEY, timeSigned: NOW }).message;

const plainQps = best(() => queriesPerSecond(soa));
const signedQps = best(() => queriesPerSecond(signedSoa));
const plainXfr = await transfersPerSecond(axfr);
const signedXfr = await transfersPerSecond(signedAxfr);

/** Signing alone: the unsigned transfer's messages signed as a stream, per second of signing. */
const messages = await (() => {
  const reply = z.responder.answer(Buffer.from(axfr), 'tcp', '192.0.2.1');
  if (reply === null || Array.isArray(reply)) throw new Error('no transfer');
  return collectMessages(reply.transfer);
})();
const signing = best(() => {
  const started = process.hrtime.bigint();
  signStream(messages, KEY, Buffer.alloc(32), NOW);
  return 1 / (Number(process.hrtime.bigint() - started) / 1e9);
});

const fmt = (n: number) => Math.round(n).toLocaleString('en');
console.log(`zone: ${DOMAINS} domains, ${z.zone.records().length} records; best of ${ROUNDS} rounds`);
console.log(
  `SOA queries/s   unsigned ${fmt(plainQps)}   TSIG hmac-sha256 ${fmt(signedQps)}   ratio ${(signedQps / plainQps).toFixed(2)}`,
);
console.log(
  `AXFR            unsigned ${(1000 / plainXfr.rate).toFixed(1)} ms   signed ${(1000 / signedXfr.rate).toFixed(1)} ms   ratio ${(plainXfr.rate / signedXfr.rate).toFixed(2)}× the time`,
);
console.log(
  `                ${signedXfr.messages} messages, ${(signedXfr.bytes / 1e6).toFixed(2)} MB (TSIG adds ${fmt(signedXfr.bytes - plainXfr.bytes)} bytes)`,
);
const xfrBytes = messages.reduce((n, m) => n + m.length, 0);
console.log(
  `signing alone   ${(1000 / signing).toFixed(1)} ms for the ${messages.length} messages (${((xfrBytes / 1e6) * signing).toFixed(0)} MB/s)`,
);
