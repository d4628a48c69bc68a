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

/** What the link-rewriting hook sees: a message about to be copied for its recipients and signed. */
export interface RewriteInput {
  readonly messageId: string;
  /** The sender domain's click host (`clicks.example.com`), where the tokens' URLs point. */
  readonly clickHost: string;
  readonly clicks: boolean;
  readonly opens: boolean;
  /** The header block (CRLF-only, ending in the CRLF of the last field); read (MIME type, List-Unsubscribe), kept. */
  readonly header: string;
  readonly body: Buffer;
}

/** One message's rewriting, its links found once (`LinkRewriter.forMessage`); each call makes one recipient's. */
export interface MessageRewrite {
  /**
   * The body with this recipient's tracked links (and pixel) rewritten; the same buffer when nothing changed. The
   * recipient is its index in the message's recipient list (the link tokens' recipient id, as a decimal).
   */
  body(recipient: number): Buffer;
  /** RFC 8058 §3.1: the HTTPS URI of one recipient's one-click unsubscribe, `https://<click host>/u/<token>`. */
  unsubscribeUrl(recipient: number): string;
}

/**
 * The hook of click and open tracking and of the one-click unsubscribe URL (src/tracking implements it; the
 * composition root wires it with the sealed link-token key). It runs before signing: each recipient's links carry
 * its own tokens and are covered by that copy's signature. The message is parsed and its links found once, however
 * many recipients it has. Without one the gateway adds no URL of its own to any message.
 */
export interface LinkRewriter {
  forMessage(input: RewriteInput): MessageRewrite;
}

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
