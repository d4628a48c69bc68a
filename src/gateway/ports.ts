import type { SenderDomain } from '../domains/index.ts';
import type { LookupOutcome, MxData } from '../resolver/index.ts';
import type { SuppressionService } from '../suppression/index.ts';

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

/**
 * The suppression list as the gateway uses it: whom to refuse at RCPT, and where each classified bounce goes
 * (src/suppression implements it). `noSuppressions` is the gateway without a list (tests of other parts).
 */
export type GatewaySuppressions = Pick<SuppressionService, 'check' | 'recordBounce' | 'action'>;

export const noSuppressions: GatewaySuppressions = {
  check: () => Promise.resolve(null),
  recordBounce: () => Promise.resolve(null),
  action: () => Promise.resolve('refuse'),
};
