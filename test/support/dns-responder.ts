/**
 * A tiny recursive-resolver stand-in on 127.0.0.1 (UDP, port 0): answers A/TXT/CNAME questions from a map and
 * follows CNAME chains into the answer, as a recursive resolver does. Enough for node:dns clients in tests.
 */
import { createSocket } from 'node:dgram';

export type TestRecord = { type: 'CNAME'; target: string } | { type: 'TXT'; strings: string[] };

const TYPE = { CNAME: 5, TXT: 16 } as const;

function encodeName(name: string): Buffer {
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l !== '');
  return Buffer.concat([
    ...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (msg[i] !== 0) {
    const len = msg[i]!;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

function rr(name: string, record: TestRecord): Buffer {
  const rdata =
    record.type === 'CNAME'
      ? encodeName(record.target)
      : Buffer.concat(
          record.strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])),
        );
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE[record.type], 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(60, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), fixed, rdata]);
}

export async function startDnsResponder(records: Map<string, TestRecord[]>) {
  const socket = createSocket('udp4');
  socket.on('message', (msg, peer) => {
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const answers: Buffer[] = [];
    let current = name;
    let found = false;
    for (let hops = 0; hops < 8; hops++) {
      const here = records.get(current);
      if (here === undefined) break;
      found = true;
      const cname = here.find((r) => r.type === 'CNAME');
      if (cname !== undefined && qtype !== TYPE.CNAME) {
        answers.push(rr(current, cname));
        current = cname.type === 'CNAME' ? cname.target.toLowerCase() : current;
        found = false;
        continue;
      }
      for (const r of here) if (TYPE[r.type] === qtype) answers.push(rr(current, r));
      break;
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | (found || answers.length > 0 ? 0 : 3), 2); // QR RD RA, NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, msg.subarray(12, end + 4), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`,
    records,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
