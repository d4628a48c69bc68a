/**
 * Test support for the dns capability: query packets built byte by byte (so tests control every field,
 * including broken ones), a raw UDP/TCP exchange, and dig run against a port with its output parsed.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { WireWriter } from '../../src/dns/wire-writer.ts';
import { run } from './tools.ts';

export interface QueryOptions {
  readonly id?: number;
  readonly name: string;
  readonly type: number;
  readonly class?: number;
  /** Header flag word (opcode bits included); RD by default. */
  readonly flags?: number;
  readonly edns?: {
    readonly payloadSize?: number;
    readonly version?: number;
    readonly dnssecOk?: boolean;
    readonly options?: Buffer;
  } | null;
  /** An SOA with this serial in the authority section: the client's version in an IXFR (RFC 1995 §3). */
  readonly ixfrSerial?: number;
}

/** A query as a client sends it: the name's case exactly as given, no compression. */
export function queryPacket(o: QueryOptions): Buffer {
  const w = new WireWriter(0, 512);
  w.u16(o.id ?? 0x1234)
    .u16(o.flags ?? 0x0100)
    .u16(1)
    .u16(0)
    .u16(o.ixfrSerial === undefined ? 0 : 1)
    .u16(o.edns ? 1 : 0);
  w.name(o.name, false)
    .u16(o.type)
    .u16(o.class ?? 1);
  if (o.ixfrSerial !== undefined) {
    // Owner: a pointer to the question's name; MNAME and RNAME the root; the serial; four zero timers.
    w.u16(0xc00c).u16(6).u16(1).u32(0).u16(22).u8(0).u8(0).u32(o.ixfrSerial);
    w.u32(0).u32(0).u32(0).u32(0);
  }
  if (o.edns) {
    const options = o.edns.options ?? Buffer.alloc(0);
    w.u8(0)
      .u16(41)
      .u16(o.edns.payloadSize ?? 1232)
      .u8(0)
      .u8(o.edns.version ?? 0)
      .u16(o.edns.dnssecOk ? 0x8000 : 0)
      .u16(options.length)
      .bytes(options);
  }
  return w.toBuffer();
}

/** Sends one datagram and waits for the first answer, or null after `timeoutMs`. */
export function udpExchange(
  port: number,
  packet: Buffer,
  timeoutMs = 2000,
  host = '127.0.0.1',
): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(packet, port, host);
  });
}

/** Sends framed messages on one TCP connection and collects `expect` framed answers (or what came before close). */
export function tcpExchange(
  port: number,
  frames: readonly Buffer[],
  expect: number,
  timeoutMs = 5000,
): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const answers: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answers);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answers);
    };
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const f of frames) {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(f.length);
        socket.write(Buffer.concat([length, f]));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        answers.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
        if (answers.length >= expect) return done();
      }
    });
    socket.on('close', done);
  });
}

export interface DigRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  readonly data: string;
}

export interface DigAnswer {
  readonly status: string;
  readonly flags: readonly string[];
  readonly question: string;
  readonly answer: readonly DigRecord[];
  readonly authority: readonly DigRecord[];
  readonly additional: readonly DigRecord[];
  readonly edns: string | null;
  readonly raw: string;
}

/** Runs dig against 127.0.0.1:port and parses its sections. */
export async function dig(
  port: number,
  name: string,
  type: string,
  options: readonly string[] = [],
): Promise<DigAnswer> {
  const r = await run('dig', [
    '@127.0.0.1',
    '-p',
    String(port),
    '+norec',
    '+tries=1',
    '+time=2',
    ...options,
    name,
    type,
  ]);
  if (r.code !== 0 && r.code !== 9) throw new Error(`dig failed (${r.code}): ${r.stderr}${r.stdout}`);
  return parseDig(r.stdout);
}

export function parseDig(text: string): DigAnswer {
  const sections: Record<string, DigRecord[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current: string | null = null;
  let question = '';
  for (const line of text.split('\n')) {
    const header = /^;; (\w+) SECTION:/.exec(line);
    if (header) {
      current = header[1]!;
      continue;
    }
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (current === 'QUESTION' && line.startsWith(';')) question = line.slice(1).trim();
    if (current !== null && current in sections && !line.startsWith(';')) {
      const [owner = '', ttl = '0', , type = '', ...rest] = line.split(/\s+/);
      sections[current]!.push({ name: owner, ttl: Number(ttl), type, data: rest.join(' ') });
    }
  }
  return {
    status: /status: (\w+)/.exec(text)?.[1] ?? 'NONE',
    flags: (/;; flags: ([^;]*);/.exec(text)?.[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((f) => f !== ''),
    question,
    answer: sections.ANSWER!,
    authority: sections.AUTHORITY!,
    additional: sections.ADDITIONAL!,
    edns: /; EDNS: (.*)/.exec(text)?.[1] ?? null,
    raw: text,
  };
}

/** Every message of a zone transfer as it is made (responder.ts's TransferReply). */
export async function collectMessages(messages: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const m of messages) out.push(m);
  return out;
}
