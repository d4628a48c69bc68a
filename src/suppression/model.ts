/**
 * The suppression list of a tenant: recipients its mail must not go to, each with why (a hard bounce, repeated
 * soft bounces, a person's decision, an import), the evidence, when, and by whom; soft-bounce entries expire.
 * Every addition and removal is also an audit row, so a suppression can always be explained afterwards.
 */
import { err, ok, type Result } from '../core/index.ts';
import { normaliseDomainName } from '../domain-name/index.ts';
import { splitAddress } from '../mail/index.ts';

/** Why an address is suppressed: a bounce, a person's decision, a complaint (ARF) or the recipient's unsubscribe. */
export type SuppressionReason = 'hard-bounce' | 'soft-bounce' | 'manual' | 'complaint' | 'unsubscribe';
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = [
  'hard-bounce',
  'soft-bounce',
  'manual',
  'complaint',
  'unsubscribe',
];

/**
 * Where the entry came from: `complaint` a feedback loop's report, `mailto` a mail to the List-Unsubscribe address,
 * `one-click` an RFC 8058 POST to the click host's `/u/` URL.
 */
export type SuppressionSource = 'bounce' | 'api' | 'cli' | 'import' | 'complaint' | 'mailto' | 'one-click';
export const SUPPRESSION_SOURCES: readonly SuppressionSource[] = [
  'bounce',
  'api',
  'cli',
  'import',
  'complaint',
  'mailto',
  'one-click',
];

export interface Suppression {
  readonly tenantId: string;
  /** The address as `suppressionAddress` normalises it. */
  readonly address: string;
  readonly reason: SuppressionReason;
  readonly source: SuppressionSource;
  /** The receiver's reply or DSN diagnostic for a bounce; the person's note otherwise. */
  readonly evidence: string;
  /** The message whose bounce added it, if one did. */
  readonly messageId: string | null;
  readonly createdAt: string;
  /** When it stops applying (soft bounces); null: until removed. */
  readonly expiresAt: string | null;
  /** Who added it: an API key or user, `cli`, or `gateway` for bounces. */
  readonly createdBy: string;
  /**
   * The one sender domain (A-labels) whose mail it stops; absent: every sender domain of the tenant. Bounces,
   * complaints and unsubscribes add entries for the whole tenant; people and imports may scope one.
   */
  readonly domain?: string;
}

export interface SuppressionAudit {
  readonly tenantId: string;
  readonly address: string;
  readonly action: 'added' | 'removed';
  readonly reason: SuppressionReason | null;
  readonly at: string;
  readonly actor: string;
  readonly why: string;
  /** The scope of the entry added or removed (see Suppression.domain); absent: the whole tenant. */
  readonly domain?: string;
}

export interface SuppressionPage {
  readonly items: readonly Suppression[];
  /** Entries matching the query (in force at `now`), across all pages. */
  readonly total: number;
}

/**
 * What the gateway does with a suppressed recipient, the tenant's choice: `refuse` it at RCPT (the default: the
 * sending application learns at once), or `drop`: accept it, send nothing to it, and emit an event.
 */
export type SuppressionAction = 'refuse' | 'drop';

/** What the suppression list needs from the store. */
export interface SuppressionRepository {
  /**
   * The entry in force for this address at `now` for mail of `senderDomain`: the tenant's own, else one scoped to
   * that sender domain; without a sender domain only the tenant's. Null when none (an expired one is not in force).
   * One lookup by primary key (tenant_id, address, domain).
   */
  find(tenantId: string, address: string, now: string, senderDomain?: string): Promise<Suppression | null>;
  /** The entry of exactly this scope (absent: the tenant's own) whatever its expiry, or null. */
  get(tenantId: string, address: string, domain?: string): Promise<Suppression | null>;
  /** Inserts or replaces the entry for (tenant, address, domain), with its audit row, in one transaction. */
  put(entry: Suppression, audit: SuppressionAudit): Promise<void>;
  /**
   * The entries in force at `now` among these addresses (an import's batch), of every scope, by
   * `suppressionKey(address, domain)`.
   */
  findMany(tenantId: string, addresses: readonly string[], now: string): Promise<Map<string, Suppression>>;
  /** Inserts or replaces many entries with their audit rows in one transaction (an import's batch). */
  putMany(entries: readonly Suppression[], audits: readonly SuppressionAudit[]): Promise<void>;
  /** Removes the entry of the audit row's scope, with the audit row; false when there was none. */
  remove(tenantId: string, address: string, audit: SuppressionAudit): Promise<boolean>;
  /** Entries in force at `now`, newest first; `contains` filters on the address. */
  list(
    tenantId: string,
    options: {
      readonly now: string;
      readonly contains?: string;
      readonly limit: number;
      readonly offset: number;
    },
  ): Promise<SuppressionPage>;
  audit(tenantId: string, address: string | null, limit: number): Promise<SuppressionAudit[]>;
  /** The tenant's choice; `refuse` until it sets one. */
  action(tenantId: string): Promise<SuppressionAction>;
  setAction(tenantId: string, action: SuppressionAction, at: string, actor: string): Promise<void>;
  /**
   * Deletes up to `limit` entries that expired at or before `now` (soft bounces), each with an audit row by
   * `actor`, in one transaction; returns how many.
   */
  purgeExpired(now: string, limit: number, actor: string): Promise<number>;
  /** Bounces of this class recorded for the recipient since `since` (the gateway's trace). */
  countBounces(tenantId: string, recipient: string, bounceClass: 'soft', since: string): Promise<number>;
}

/** An entry's key within a tenant: its address and scope (findMany's map). */
export const suppressionKey = (address: string, domain: string | undefined): string =>
  domain === undefined ? address : `${address}\u0000${domain}`;

/**
 * The key of an address on the list. The domain is normalised (lower case, A-labels, RFC 5321 §2.4: domain names
 * are case-insensitive); the local part is kept exactly as written, because RFC 5321 §2.4 lets the receiving host
 * treat it as case-sensitive and only that host knows. `Reader@example.com` and `reader@example.com` are two
 * entries: suppressing one never silently suppresses another person's mailbox on a case-sensitive host.
 */
export function suppressionAddress(input: string): Result<string, string> {
  const written = input.trim().replace(/^<(.*)>$/, '$1');
  const { localPart, domain } = splitAddress(written);
  if (domain === null || localPart === '') return err(`"${input}" is not an e-mail address (local@domain).`);
  // RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.
  if (Buffer.byteLength(localPart) > 64) return err(`The local part of "${input}" is longer than 64 octets.`);
  if (/[\s<>,]/.test(localPart) && !/^".*"$/.test(localPart)) {
    return err(`"${input}" is not an e-mail address (white space or <>, in the local part).`);
  }
  const name = normaliseDomainName(domain);
  if (!name.ok) return err(`The domain of "${input}": ${name.error.message}`);
  return ok(`${localPart}@${name.value}`);
}
