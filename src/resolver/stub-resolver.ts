import { createSocket, type Socket } from 'node:dgram';
import type { RandomSource } from '../core/index.ts';
import { parseIp, sameIp, unmapped } from '../ip/index.ts';
import {
  canonicalName,
  type DnsQuery,
  type DnsResolver,
  type DnsResponse,
  type DnsServerAddress,
} from './model.ts';
import { exchangeTcp } from './tcp-exchange.ts';
import { decodeResponse, encodeQuery, type DecodedResponse } from './wire.ts';

export interface StubResolverOptions {
  /** Time to wait for each attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** UDP attempts per query before it is a timeout (the first one included). */
  readonly attempts: number;
  readonly random: RandomSource;
}

/** 'timeout', or why the exchange failed. */
type Trouble = { readonly timeout: true } | { readonly failure: string };
const TIMEOUT: Trouble = { timeout: true };

interface Pending {
  readonly query: DnsQuery;
  readonly id: number;
  readonly done: (r: DecodedResponse | null) => void;
}

/**
 * A stub resolver: one question to one server over UDP, retried, falling back to TCP when the answer is
 * truncated (RFC 7766 §5: a TC=1 reply means "ask again over TCP"). Replies are matched on id, source address,
 * source port and question (RFC 5452 §4), so a stray or spoofed datagram is ignored. One socket per address
 * family carries every query in flight, so thousands of queries need no thousands of sockets.
 */
export class StubResolver implements DnsResolver {
  readonly #options: StubResolverOptions;
  readonly #sockets = new Map<'udp4' | 'udp6', Socket>();
  readonly #pending = new Map<number, Pending>();
  #sent = 0;

  constructor(options: StubResolverOptions) {
    this.#options = options;
  }

  /** Queries put on the wire so far (UDP datagrams and TCP connections), for benchmarks. */
  get queriesSent(): number {
    return this.#sent;
  }

  async query(query: DnsQuery): Promise<DnsResponse> {
    const { server } = query;
    for (let attempt = 0; attempt < this.#options.attempts; attempt++) {
      const reply = await this.#udp(query);
      if ('timeout' in reply) continue;
      if ('failure' in reply) return { outcome: 'failure', server, reason: reply.failure };
      if (reply.flags.tc) {
        const tcp = await this.#tcp(query);
        if ('timeout' in tcp) return { outcome: 'timeout', server };
        if ('failure' in tcp) return { outcome: 'failure', server, reason: tcp.failure };
        return toResponse(tcp, server, 'tcp');
      }
      return toResponse(reply, server, 'udp');
    }
    return { outcome: 'timeout', server };
  }

  /** Closes the sockets; queries in flight end as failures. */
  close(): void {
    for (const p of this.#pending.values()) p.done(null);
    this.#pending.clear();
    for (const s of this.#sockets.values()) s.close();
    this.#sockets.clear();
  }

  #socket(family: 'udp4' | 'udp6'): Socket {
    let socket = this.#sockets.get(family);
    if (socket !== undefined) return socket;
    socket = createSocket({ type: family, recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    socket.on('message', (msg, rinfo) => {
      const decoded = decodeResponse(msg);
      if (decoded === null) return;
      const p = this.#pending.get(decoded.id);
      if (p === undefined) return;
      if (!sameHost(rinfo.address, p.query.server.host) || rinfo.port !== p.query.server.port) return;
      if (!matchesQuestion(decoded, p.query)) return;
      p.done(decoded);
    });
    socket.on('error', () => {
      // A socket-level error fails whatever is in flight on it; the next query opens a fresh socket.
      for (const p of [...this.#pending.values()]) if (familyOf(p.query.server) === family) p.done(null);
      this.#sockets.delete(family);
    });
    socket.unref();
    this.#sockets.set(family, socket);
    return socket;
  }

  #freshId(): number {
    for (;;) {
      const b = this.#options.random.bytes(2);
      const id = (b[0]! << 8) | b[1]!;
      if (!this.#pending.has(id)) return id;
    }
  }

  #udp(query: DnsQuery): Promise<DecodedResponse | Trouble> {
    const family = familyOf(query.server);
    const socket = this.#socket(family);
    const id = this.#freshId();
    const bytes = encodeQuery(id, query.name, query.type, query.recursionDesired);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(TIMEOUT), this.#options.timeoutMs);
      const finish = (r: DecodedResponse | Trouble) => {
        clearTimeout(timer);
        if (this.#pending.get(id)?.query === query) this.#pending.delete(id);
        resolve(r);
      };
      this.#pending.set(id, { query, id, done: (r) => finish(r ?? { failure: 'the UDP socket failed' }) });
      this.#sent++;
      socket.send(bytes, query.server.port, query.server.host, (error) => {
        if (error) finish({ failure: `cannot send to ${query.server.host}: ${error.message}` });
      });
    });
  }

  async #tcp(query: DnsQuery): Promise<DecodedResponse | Trouble> {
    const id = this.#freshId();
    this.#sent++;
    const reply = await exchangeTcp(
      query.server,
      encodeQuery(id, query.name, query.type, query.recursionDesired),
      this.#options.timeoutMs,
    );
    if (!reply.ok) return reply.timeout ? TIMEOUT : { failure: reply.reason };
    const decoded = decodeResponse(reply.message);
    if (decoded === null || decoded.id !== id || !matchesQuestion(decoded, query))
      return { failure: 'the TCP answer did not match the question' };
    return decoded;
  }
}

function familyOf(server: DnsServerAddress): 'udp4' | 'udp6' {
  return parseIp(server.host)?.family === 6 ? 'udp6' : 'udp4';
}

/** Whether a datagram's source is the server asked (a dual-stack socket reports IPv4 peers as mapped). */
function sameHost(source: string, server: string): boolean {
  const a = parseIp(source);
  const b = parseIp(server);
  return a !== null && b !== null && sameIp(unmapped(a), unmapped(b));
}

function matchesQuestion(r: DecodedResponse, q: DnsQuery): boolean {
  return (
    r.flags.qr &&
    r.question !== null &&
    r.question.name === canonicalName(q.name) &&
    r.question.type === q.type
  );
}

function toResponse(r: DecodedResponse, server: DnsServerAddress, transport: 'udp' | 'tcp'): DnsResponse {
  return {
    outcome: 'response',
    server,
    rcode: r.rcode,
    flags: { aa: r.flags.aa, tc: r.flags.tc, ra: r.flags.ra },
    answers: r.answers,
    authority: r.authority,
    additional: r.additional,
    transport,
  };
}
