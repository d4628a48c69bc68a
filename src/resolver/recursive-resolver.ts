import { getServers } from 'node:dns';
import { cryptoRandom, type RandomSource } from '../core/index.ts';
import { reverseName, type IpAddress } from '../ip/index.ts';
import { lookupOutcome, mapOutcome, queryNameProblem, type LookupOutcome } from './lookup-outcome.ts';
import {
  joinTxt,
  parseServerAddress,
  type DnsResolver,
  type DnsServerAddress,
  type RecordType,
  type ResourceData,
} from './model.ts';
import { StubResolver } from './stub-resolver.ts';

export interface RecursiveResolverOptions {
  /** Servers as the config writes them (`192.0.2.53`, `192.0.2.53:5353`, `[2001:db8::53]:53`); empty: the system's. */
  readonly servers: readonly string[];
  /** How long each attempt waits, in milliseconds. */
  readonly timeoutMs: number;
  /** Attempts per server before the next is asked (default 2, as c-ares's `tries`). */
  readonly attempts?: number;
  /** For query ids (RFC 5452 §9.2); default crypto randomness. */
  readonly random?: RandomSource;
  /** The transport; default a `StubResolver` (UDP, TCP on truncation). Tests may hand in their own. */
  readonly transport?: DnsResolver;
}

/** An MX record (RFC 1035 §3.3.9); the root as exchange (`''`) is a null MX (RFC 7505). */
export interface MxData {
  readonly exchange: string;
  readonly preference: number;
}

/**
 * The DNS as receivers see it: questions with recursion desired, to the configured recursive resolvers (or the
 * system's, from /etc/resolv.conf), asked in order; a server that times out or fails (SERVFAIL, REFUSED) passes
 * the question to the next, as a stub resolver does. Every outcome is data (`LookupOutcome`).
 */
export class RecursiveResolver {
  readonly #servers: readonly DnsServerAddress[];
  readonly #transport: DnsResolver;

  constructor(options: RecursiveResolverOptions) {
    this.#servers = recursiveServers(options.servers);
    this.#transport =
      options.transport ??
      new StubResolver({
        timeoutMs: options.timeoutMs,
        attempts: options.attempts ?? 2,
        random: options.random ?? cryptoRandom,
      });
  }

  /** The servers asked, in order. */
  get servers(): readonly DnsServerAddress[] {
    return this.#servers;
  }

  /** The records of `type` at `name` (CNAMEs followed by the resolver). */
  async lookup(name: string, type: RecordType): Promise<LookupOutcome<ResourceData>> {
    if (queryNameProblem(name) !== null) return { kind: 'badname' };
    const reasons: string[] = [];
    for (const server of this.#servers) {
      const response = await this.#transport.query({ name, type, server, recursionDesired: true });
      const outcome = lookupOutcome(response, name, type);
      if (outcome.kind !== 'error') return outcome;
      reasons.push(outcome.reason);
    }
    return { kind: 'error', reason: reasons.join('; ') || 'no resolver to ask' };
  }

  /** TXT records, each one's character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
  async txt(name: string): Promise<LookupOutcome<string>> {
    return mapOutcome(await this.lookup(name, 'TXT'), (d) => (d.type === 'TXT' ? joinTxt(d) : undefined));
  }

  async mx(name: string): Promise<LookupOutcome<MxData>> {
    return mapOutcome(await this.lookup(name, 'MX'), (d) =>
      d.type === 'MX' ? { exchange: d.exchange, preference: d.preference } : undefined,
    );
  }

  /** A (family 4) or AAAA (family 6) addresses, in RFC 5952 text. */
  async addresses(name: string, family: 4 | 6): Promise<LookupOutcome<string>> {
    return mapOutcome(await this.lookup(name, family === 4 ? 'A' : 'AAAA'), (d) =>
      d.type === 'A' || d.type === 'AAAA' ? d.address : undefined,
    );
  }

  /** The PTR names of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
  async ptr(ip: IpAddress): Promise<LookupOutcome<string>> {
    return mapOutcome(await this.lookup(reverseName(ip), 'PTR'), (d) =>
      d.type === 'PTR' ? d.target : undefined,
    );
  }
}

/**
 * The recursive resolvers to ask: the configured ones, or, when none are, the system's (what c-ares read from
 * /etc/resolv.conf). Throws on an entry that is not an address with an optional port, as c-ares's setServers did.
 */
export function recursiveServers(configured: readonly string[]): DnsServerAddress[] {
  const list = configured.length > 0 ? configured : getServers();
  return list.map((text) => {
    const server = parseServerAddress(text);
    if (server === null) throw new Error(`not a DNS server address (ip, ip:port or [ipv6]:port): ${text}`);
    return server;
  });
}
