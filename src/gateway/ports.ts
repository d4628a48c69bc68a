import type { KeyObject } from 'node:crypto';
import type { SenderDomain } from '../domains/index.ts';
import type { LookupOutcome, MxData } from '../resolver/index.ts';

/** A private key the gateway signs with right now, as the dkim capability hands it over (cached, never logged). */
export interface SigningKey {
  readonly selector: string;
  readonly algorithm: 'rsa-sha256' | 'ed25519-sha256';
  readonly privateKey: KeyObject;
  /** The key's id in the dkim capability, recorded in the trace (never the key itself). */
  readonly keyId: string;
}

/**
 * Where the gateway gets its keys (the dkim capability implements it). For a domain, every key that signs right
 * now: the active key, plus the retiring key during a rotation's overlap, plus an optional Ed25519 key. An empty
 * list means the domain has no usable key; the gateway then defers its mail with a 4xx and raises a critical
 * event, and never sends it unsigned.
 */
export interface SigningKeySource {
  keysFor(domain: SenderDomain): Promise<readonly SigningKey[]>;
}

/** A DNS answer as data (STYLE.md: an NXDOMAIN is an outcome, not an exception); the resolver's one outcome type. */
export type DnsOutcome<T> = LookupOutcome<T>;

export type MxRecord = MxData;

/** The lookups direct delivery needs (RFC 5321 §5.1). Injected: production uses a resolver, tests a table. */
export interface MailResolver {
  resolveMx(domain: string): Promise<DnsOutcome<MxRecord>>;
  resolveAddresses(host: string): Promise<DnsOutcome<string>>;
}

/** What the link-rewriting hook sees: the message about to be signed, and whose it is. */
export interface RewriteInput {
  readonly tenantId: string;
  readonly domain: SenderDomain | null;
  readonly messageId: string;
  /** The header block (CRLF-only, ending in the CRLF of the last field). */
  readonly header: string;
  readonly body: Buffer;
}

/**
 * The hook point for link rewriting (click tracking comes later). It runs before signing, so rewritten links
 * are covered by the signature. Returning the body unchanged is the default.
 */
export interface LinkRewriter {
  rewrite(input: RewriteInput): Promise<Buffer> | Buffer;
}

export const noLinkRewriting: LinkRewriter = { rewrite: (input) => input.body };
