/**
 * Hostile inputs, generated as streams so that neither the test nor the generator holds the expansion: a deflate
 * stream of `n` MiB of zeros is one full-flushed compressed MiB repeated (each repeat is self-contained and
 * byte-aligned), so a 10 GiB bomb costs about 10 MB to describe and nothing to build.
 */
import { randomFillSync } from 'node:crypto';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';

const MIB = 1024 * 1024;
const flushed = (data: Buffer) => deflateRawSync(data, { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
// The expansion looks like the start of a report, so it gets past content sniffing and into the parser.
const head = flushed(Buffer.from('<?xml version="1.0"?><feedback>'));
const spaceBlock = flushed(Buffer.alloc(MIB, 0x20));
const finalBlock = deflateRawSync(Buffer.alloc(0));

/** Raw deflate data of "<feedback>" and `mib` MiB of spaces, as pieces. */
export function* zeroDeflate(mib: number): Generator<Buffer> {
  yield head;
  for (let i = 0; i < mib; i++) yield spaceBlock;
  yield finalBlock;
}

/** A gzip "bomb" of `mib` MiB; its CRC and size trailer are never reached, so they are left out. */
export function* gzipBomb(mib: number): Generator<Buffer> {
  yield Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  yield* zeroDeflate(mib);
}

/** A zip with one entry of `mib` MiB of zeros. `honest` declares the real size (zip64), otherwise a small one. */
export function zipBomb(mib: number, honest: boolean): Buffer {
  const data = Buffer.concat([...zeroDeflate(mib)]);
  const name = Buffer.from('report.xml');
  const usize = honest ? BigInt(mib) * BigInt(MIB) : 1000n;
  const zip64 = Buffer.alloc(20);
  zip64.writeUInt16LE(0x0001, 0);
  zip64.writeUInt16LE(16, 2);
  zip64.writeBigUInt64LE(usize, 4);
  zip64.writeBigUInt64LE(BigInt(data.length), 12);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(zip64.length, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(zip64.length, 30);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + name.length + zip64.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length + zip64.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, zip64, data, central, name, zip64, end]);
}

/** `bytes` of random data, a fresh MiB at a time. */
export function* randomBytesStream(bytes: number): Generator<Buffer> {
  for (let sent = 0; sent < bytes; sent += MIB)
    yield randomFillSync(Buffer.alloc(Math.min(MIB, bytes - sent)));
}

export const XXE = `<?xml version="1.0"?>
<!DOCTYPE feedback [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>`;

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n ')}
]>
<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>`;

/** A small valid aggregate report about `domain`. */
export function goodReport(domain: string, id: string, begin = 1700000000, sourceIp = '192.0.2.10'): string {
  return `<?xml version="1.0"?><feedback><version>1.0</version><report_metadata><org_name>example.net</org_name>
<email>dmarc@example.net</email><report_id>${id}</report_id><date_range><begin>${begin}</begin><end>${begin + 86399}</end>
</date_range></report_metadata><policy_published><domain>${domain}</domain><p>none</p></policy_published>
<record><row><source_ip>${sourceIp}</source_ip><count>3</count><policy_evaluated><disposition>none</disposition>
<dkim>pass</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>${domain}</header_from></identifiers>
<auth_results><dkim><domain>${domain}</domain><selector>sd1</selector><result>pass</result></dkim></auth_results></record>
</feedback>`;
}

/** A gzip of a report with many records, cut in half. */
export function truncatedGzip(domain: string): Buffer {
  const records = Array.from(
    { length: 2000 },
    (_, i) => `<record><row><source_ip>192.0.2.${i % 250}</source_ip><count>1</count></row></record>`,
  ).join('');
  const gz = gzipSync(goodReport(domain, 'truncated').replace('</feedback>', `${records}</feedback>`));
  return gz.subarray(0, Math.floor(gz.length / 2));
}
