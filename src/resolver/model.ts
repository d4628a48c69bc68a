import { parseIp } from '../ip/index.ts';

/**
 * The DNS client's vocabulary and its port. A capability that reads the DNS (checks, SPF, the gateway) takes a
 * `DnsResolver` as an argument, so tests can hand it a real server on loopback or an in-memory zone.
 */

/** The record types senderd reads. Others arrive as `OTHER` with their type code. */
export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'DNAME' | 'MX' | 'NS' | 'PTR' | 'SOA' | 'TXT';

export type ResourceData =
  | { readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly type: 'CNAME' | 'DNAME' | 'NS' | 'PTR'; readonly target: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | {
      readonly type: 'TXT';
      /** The character-strings exactly as on the wire (RFC 1035 §3.3.14); never joined or decoded here. */
      readonly strings: readonly Uint8Array[];
    }
  | {
      readonly type: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly minimum: number;
    }
  | { readonly type: 'OTHER'; readonly typeName: string };

export interface ResourceRecord {
  /** Owner name: lower case, no trailing dot (the root is the empty string). */
  readonly name: string;
  readonly ttl: number;
  readonly data: ResourceData;
}

/** Where a query goes: an address and a port. */
export interface DnsServerAddress {
  readonly host: string;
  readonly port: number;
}

export interface DnsQuery {
  /** Any case, with or without a trailing dot. */
  readonly name: string;
  readonly type: RecordType;
  readonly server: DnsServerAddress;
  /** RD: true to ask a recursive resolver, false to ask an authoritative server. */
  readonly recursionDesired: boolean;
}

/** The RCODE mnemonic (RFC 1035 §4.1.1, RFC 6895): NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ... */
export type RcodeName = string;

/** What came back. Every DNS outcome is data: this port never throws for a timeout or a bad packet. */
export type DnsResponse =
  | {
      readonly outcome: 'response';
      readonly server: DnsServerAddress;
      readonly rcode: RcodeName;
      readonly flags: { readonly aa: boolean; readonly tc: boolean; readonly ra: boolean };
      readonly answers: readonly ResourceRecord[];
      readonly authority: readonly ResourceRecord[];
      readonly additional: readonly ResourceRecord[];
      readonly transport: 'udp' | 'tcp';
    }
  /** No answer within the time limit, after every attempt. */
  | { readonly outcome: 'timeout'; readonly server: DnsServerAddress }
  /** The server could not be reached, or sent something that is not a DNS response to our question. */
  | { readonly outcome: 'failure'; readonly server: DnsServerAddress; readonly reason: string };

/** The port: one question to one server. */
export interface DnsResolver {
  query(query: DnsQuery): Promise<DnsResponse>;
}

/** `name.` → `name`, upper → lower. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** A server for people: `127.0.0.1:5353`, `[::1]:53`. */
export function formatServer(server: DnsServerAddress): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * Parses `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`, `[2001:db8::1]:5353`. Returns null if it is not an
 * IP address (with an optional port): servers are given by address, so no lookup is needed to reach them.
 */
export function parseServerAddress(text: string, defaultPort = 53): DnsServerAddress | null {
  const t = text.trim();
  let host = t;
  let port = defaultPort;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(t);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (v4port) {
    host = v4port[1]!;
    port = Number(v4port[2]);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const ip = parseIp(host);
  if (ip === null || ip.zone !== undefined) return null;
  return { host, port };
}

/** TXT character-strings joined with nothing in between (RFC 7208 §3.3, RFC 6376 §3.6.2.2), as Latin-1 text. */
export function joinTxt(data: { readonly strings: readonly Uint8Array[] }): string {
  return data.strings.map((s) => Buffer.from(s).toString('latin1')).join('');
}
