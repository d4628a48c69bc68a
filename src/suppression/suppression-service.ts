/**
 * The suppression list's rules: a hard bounce suppresses its recipient at once; a soft bounce does once the
 * recipient has had `softBounceLimit` of them within `softBounceWindowMs`, for `softBounceSuppressMs`; a block
 * or unknown bounce never does (it is about the sender, or unclear). People add and remove entries through the
 * API and CLI, each change with who and why in the audit trail; lists import and export as CSV.
 */
import { err, ok, type Clock, type Logger, type Result } from '../core/index.ts';
import { normaliseDomainName, type DomainName } from '../domain-name/index.ts';
import {
  SUPPRESSION_REASONS,
  suppressionAddress,
  suppressionKey,
  type Suppression,
  type SuppressionAction,
  type SuppressionAudit,
  type SuppressionPage,
  type SuppressionReason,
  type SuppressionRepository,
  type SuppressionSource,
} from './model.ts';
import { CSV_COLUMNS, formatCsvRow, parseCsv } from './suppression-csv.ts';

export interface SuppressionSettings {
  readonly softBounceLimit: number;
  readonly softBounceWindowMs: number;
  readonly softBounceSuppressMs: number;
}

/** A classified bounce, as the gateway hands it on. */
export interface BounceNotice {
  readonly tenantId: string;
  readonly recipient: string;
  readonly class: 'hard' | 'soft' | 'block' | 'unknown';
  readonly at: string;
  /** The reply or DSN status and diagnostic: the evidence. */
  readonly reply: string;
  readonly messageId: string;
  /** Whether this bounce is already in the store (a DSN), or still in the trace's write buffer. */
  readonly stored: boolean;
}

/** A recipient's own word: a complaint through a feedback loop, or an unsubscribe. */
export interface FeedbackNotice {
  readonly tenantId: string;
  readonly recipient: string;
  readonly reason: 'complaint' | 'unsubscribe';
  readonly source: SuppressionSource;
  readonly at: string;
  /** The feedback report's fields, or how the unsubscribe arrived. */
  readonly evidence: string;
  readonly messageId: string | null;
}

export interface ImportOutcome {
  readonly added: number;
  readonly unchanged: number;
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const MAX_IMPORT_PROBLEMS = 100;
const IMPORT_BATCH = 500;

/** Whether an entry in force already suppresses at least as long as a new one would. */
function outlasts(existing: Suppression | null, entry: Suppression): boolean {
  if (existing === null) return false;
  return existing.expiresAt === null || (entry.expiresAt !== null && existing.expiresAt >= entry.expiresAt);
}

/** A sender domain as a scope is written (A-labels, lower case), or undefined for none or a name that is not one. */
function scopeOf(domain: string | undefined): string | undefined {
  if (domain === undefined || domain.trim() === '') return undefined;
  // The common case at every RCPT: already lower-case ASCII letters, digits and hyphens, as stored scopes are, so
  // there is nothing to convert (the full normalisation cost a sixth of the lookup; bench:suppression).
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain)) return domain;
  const name = normaliseDomainName(domain);
  return name.ok ? name.value : undefined;
}

export class SuppressionService {
  readonly #repo: SuppressionRepository;
  readonly #settings: SuppressionSettings;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #isSenderDomain: (tenantId: string, name: DomainName) => Promise<boolean>;

  constructor(deps: {
    repo: SuppressionRepository;
    settings: SuppressionSettings;
    clock: Clock;
    log: Logger;
    /** Whether the tenant has this sender domain (an entry may be scoped only to one of its own). */
    isSenderDomain?: (tenantId: string, name: DomainName) => Promise<boolean>;
  }) {
    this.#repo = deps.repo;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
    this.#log = deps.log.child({ component: 'suppression' });
    this.#isSenderDomain = deps.isSenderDomain ?? (() => Promise.resolve(true));
  }

  /**
   * The entry in force for a recipient of mail from `senderDomain` (the tenant's own entry, or one scoped to that
   * domain), or null; an address that cannot be normalised is never on the list.
   */
  async check(tenantId: string, recipient: string, senderDomain?: string): Promise<Suppression | null> {
    const address = suppressionAddress(recipient);
    if (!address.ok) return null;
    return this.#repo.find(tenantId, address.value, this.#now(), scopeOf(senderDomain));
  }

  /** A scope a person gave: one of the tenant's sender domains as A-labels, undefined for none, or why not. */
  async #scope(tenantId: string, domain: string | undefined): Promise<Result<string | undefined, string>> {
    if (domain === undefined || domain.trim() === '') return ok(undefined);
    const name = normaliseDomainName(domain);
    if (!name.ok) return err(`The sender domain "${domain}": ${name.error.message}`);
    if (!(await this.#isSenderDomain(tenantId, name.value)))
      return err(`"${domain}" is not one of this tenant's sender domains.`);
    return ok(name.value);
  }

  /** What the gateway does with the tenant's suppressed recipients. */
  action(tenantId: string): Promise<SuppressionAction> {
    return this.#repo.action(tenantId);
  }

  async setAction(tenantId: string, action: SuppressionAction, actor: string): Promise<void> {
    await this.#repo.setAction(tenantId, action, this.#now(), actor);
    this.#log.info({ tenantId, action, actor }, 'suppression action set');
  }

  /**
   * The entry in force for an address a person typed: for mail of `senderDomain` when given (the tenant's own
   * entry or the one scoped to it), else the tenant's own; an error when it is not an address.
   */
  async find(
    tenantId: string,
    address: string,
    senderDomain?: string,
  ): Promise<Result<Suppression | null, string>> {
    const key = suppressionAddress(address);
    if (!key.ok) return err(key.error);
    const scope = await this.#scope(tenantId, senderDomain);
    if (!scope.ok) return err(scope.error);
    return ok(await this.#repo.find(tenantId, key.value, this.#now(), scope.value));
  }

  /** Acts on a classified bounce: suppresses a hard one at once, a soft one after repeated failures. */
  async recordBounce(b: BounceNotice): Promise<Suppression | null> {
    if (b.class !== 'hard' && b.class !== 'soft') return null;
    const address = suppressionAddress(b.recipient);
    if (!address.ok) return null;
    let expiresAt: string | null = null;
    if (b.class === 'soft') {
      const since = new Date(Date.parse(b.at) - this.#settings.softBounceWindowMs).toISOString();
      const count =
        (await this.#repo.countBounces(b.tenantId, b.recipient, 'soft', since)) + (b.stored ? 0 : 1);
      if (count < this.#settings.softBounceLimit) return null;
      expiresAt = new Date(Date.parse(b.at) + this.#settings.softBounceSuppressMs).toISOString();
    }
    const entry: Suppression = {
      tenantId: b.tenantId,
      address: address.value,
      reason: b.class === 'hard' ? 'hard-bounce' : 'soft-bounce',
      source: 'bounce',
      evidence: b.reply.slice(0, 1000),
      messageId: b.messageId,
      createdAt: b.at,
      expiresAt,
      createdBy: 'gateway',
    };
    const why =
      b.class === 'hard'
        ? `hard bounce of message ${b.messageId}`
        : `${this.#settings.softBounceLimit} soft bounces within ${Math.round(this.#settings.softBounceWindowMs / 86_400_000)} days`;
    return (await this.#putUnlessStronger(entry, why)) ? entry : null;
  }

  /**
   * Suppresses a recipient who complained or unsubscribed, until removed. Idempotent: an entry in force with no
   * expiry (this one again, a hard bounce, a person's) is left as it is; null then.
   */
  async recordFeedback(f: FeedbackNotice): Promise<Suppression | null> {
    const address = suppressionAddress(f.recipient);
    if (!address.ok) return null;
    const entry: Suppression = {
      tenantId: f.tenantId,
      address: address.value,
      reason: f.reason,
      source: f.source,
      evidence: f.evidence.slice(0, 1000),
      messageId: f.messageId,
      createdAt: f.at,
      expiresAt: null,
      createdBy: f.source,
    };
    const why = `${f.reason === 'complaint' ? 'complaint about' : 'unsubscribe from'} message ${f.messageId ?? '(unknown)'}`;
    return (await this.#putUnlessStronger(entry, why)) ? entry : null;
  }

  /** Adds an entry by a person's decision (API, CLI). */
  async add(
    tenantId: string,
    input: {
      address: string;
      actor: string;
      source: SuppressionSource;
      why: string;
      expiresAt?: string | null;
      /** Only mail of this sender domain of the tenant; absent: every sender domain. */
      domain?: string;
    },
  ): Promise<Result<Suppression, string>> {
    const address = suppressionAddress(input.address);
    if (!address.ok) return err(address.error);
    const scope = await this.#scope(tenantId, input.domain);
    if (!scope.ok) return err(scope.error);
    const entry: Suppression = {
      tenantId,
      address: address.value,
      reason: 'manual',
      source: input.source,
      evidence: input.why.slice(0, 1000),
      messageId: null,
      createdAt: this.#now(),
      expiresAt: input.expiresAt ?? null,
      createdBy: input.actor,
      ...(scope.value === undefined ? {} : { domain: scope.value }),
    };
    await this.#repo.put(entry, this.#audit(entry, 'added', input.actor, input.why));
    return ok(entry);
  }

  /**
   * Removes the entry of one scope (`domain`: the one scoped to that sender domain; absent: the tenant's own);
   * false when there was none.
   */
  async remove(
    tenantId: string,
    address: string,
    actor: string,
    why: string,
    domain?: string,
  ): Promise<Result<boolean, string>> {
    const key = suppressionAddress(address);
    if (!key.ok) return err(key.error);
    // Removing needs no check that the domain is still the tenant's: an entry outlives its domain's removal.
    const scope = domain === undefined || domain.trim() === '' ? undefined : scopeOf(domain);
    if (domain !== undefined && domain.trim() !== '' && scope === undefined)
      return err(`"${domain}" is not a domain name.`);
    const existing = await this.#repo.get(tenantId, key.value, scope);
    const removed = await this.#repo.remove(tenantId, key.value, {
      tenantId,
      address: key.value,
      action: 'removed',
      reason: existing?.reason ?? null,
      at: this.#now(),
      actor,
      why,
      ...(scope === undefined ? {} : { domain: scope }),
    });
    if (removed)
      this.#log.info({ tenantId, address: key.value, domain: scope, actor }, 'suppression removed');
    return ok(removed);
  }

  list(
    tenantId: string,
    options: { contains?: string; limit: number; offset: number },
  ): Promise<SuppressionPage> {
    return this.#repo.list(tenantId, { ...options, now: this.#now() });
  }

  async audit(
    tenantId: string,
    address: string | null,
    limit = 100,
  ): Promise<Result<SuppressionAudit[], string>> {
    if (address === null) return ok(await this.#repo.audit(tenantId, null, limit));
    const key = suppressionAddress(address);
    return key.ok ? ok(await this.#repo.audit(tenantId, key.value, limit)) : err(key.error);
  }

  /** Every entry in force, as CSV with a header row (CSV_COLUMNS). */
  async *exportCsv(tenantId: string): AsyncGenerator<string> {
    yield formatCsvRow(CSV_COLUMNS);
    const now = this.#now();
    for (let offset = 0; ; offset += 1000) {
      const page = await this.#repo.list(tenantId, { now, limit: 1000, offset });
      for (const s of page.items) {
        yield formatCsvRow([
          s.address,
          s.reason,
          s.source,
          s.evidence,
          s.createdAt,
          s.expiresAt ?? '',
          s.createdBy,
          s.domain ?? '',
        ]);
      }
      if (page.items.length < 1000) return;
    }
  }

  /**
   * Imports a CSV whose header names an `address` column (an export, or a list from another platform); `reason`
   * (hard-bounce, soft-bounce, manual), `evidence`, `expires_at` and `domain` (a sender domain of the tenant the
   * entry is scoped to; empty: the whole tenant) are kept when present. Bad rows are reported by line and skipped;
   * the rest are added with source `import`.
   */
  async importCsv(tenantId: string, text: string, actor: string): Promise<Result<ImportOutcome, string>> {
    const { records, problem } = parseCsv(text);
    if (problem !== null) return err(problem);
    const header = records[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
    const col = (name: string) => header.indexOf(name);
    if (col('address') < 0) return err('The first line must be a header naming an "address" column.');
    const problems: { line: number; message: string }[] = [];
    let added = 0;
    let unchanged = 0;
    const now = this.#now();
    // Rows go to the store in batches (one query to find what is there, one transaction to write), not one by one.
    let batch = new Map<string, Suppression>();
    const flush = async () => {
      const entries = [...batch.values()];
      batch = new Map();
      const existing = await this.#repo.findMany(
        tenantId,
        entries.map((e) => e.address),
        now,
      );
      const writes = entries.filter(
        (e) => !outlasts(existing.get(suppressionKey(e.address, e.domain)) ?? null, e),
      );
      unchanged += entries.length - writes.length;
      added += writes.length;
      await this.#repo.putMany(
        writes,
        writes.map((e) => this.#audit(e, 'added', actor, 'imported')),
      );
    };
    // The scopes named in the file, each checked once against the tenant's sender domains.
    const scopes = new Map<string, Result<string | undefined, string>>();
    for (const record of records.slice(1)) {
      const at = (name: string) => (col(name) < 0 ? '' : (record.fields[col(name)] ?? '').trim());
      const address = suppressionAddress(at('address'));
      const domainText = at('domain');
      let scope = scopes.get(domainText);
      if (scope === undefined) {
        scope = await this.#scope(tenantId, domainText);
        scopes.set(domainText, scope);
      }
      const reason = at('reason') === '' ? 'manual' : at('reason');
      const expiresAt = at('expires_at') === '' ? null : at('expires_at');
      const message = !address.ok
        ? address.error
        : !SUPPRESSION_REASONS.includes(reason as SuppressionReason)
          ? `unknown reason "${reason}" (${SUPPRESSION_REASONS.join(', ')})`
          : expiresAt !== null && Number.isNaN(Date.parse(expiresAt))
            ? `expires_at "${expiresAt}" is not a date-time`
            : !scope.ok
              ? scope.error
              : null;
      if (message !== null || !address.ok || !scope.ok) {
        if (problems.length < MAX_IMPORT_PROBLEMS)
          problems.push({ line: record.line, message: message ?? '' });
        continue;
      }
      if (expiresAt !== null && Date.parse(expiresAt) <= Date.parse(now)) {
        unchanged++;
        continue;
      }
      // A repeated address (in one scope) counts once: its last row is the one kept.
      const key = suppressionKey(address.value, scope.value);
      if (batch.has(key)) unchanged++;
      batch.set(key, {
        tenantId,
        address: address.value,
        reason: reason as SuppressionReason,
        source: 'import',
        evidence: at('evidence').slice(0, 1000),
        messageId: null,
        createdAt: now,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
        createdBy: actor,
        ...(scope.value === undefined ? {} : { domain: scope.value }),
      });
      if (batch.size >= IMPORT_BATCH) await flush();
    }
    if (batch.size > 0) await flush();
    this.#log.info(
      { tenantId, added, unchanged, problems: problems.length, actor },
      'suppression list imported',
    );
    return ok({ added, unchanged, problems });
  }

  /**
   * Deletes the entries that have expired (soft bounces past `softBounceSuppression`): an expired entry already
   * no longer applies at RCPT, this keeps the table to the entries in force. Batches of 1,000, each with its audit
   * rows; returns how many went. Run by the `suppression-purge` job, one node of a cluster at a time.
   */
  async purgeExpired(): Promise<number> {
    const now = this.#now();
    let total = 0;
    for (;;) {
      const n = await this.#repo.purgeExpired(now, 1000, 'senderd');
      total += n;
      if (n < 1000) break;
    }
    if (total > 0) this.#log.info({ purged: total }, 'expired suppressions purged');
    return total;
  }

  /** Puts the entry unless one in force already suppresses at least as long; true when it was written. */
  async #putUnlessStronger(entry: Suppression, why: string): Promise<boolean> {
    if (outlasts(await this.#repo.find(entry.tenantId, entry.address, this.#now()), entry)) return false;
    await this.#repo.put(entry, this.#audit(entry, 'added', entry.createdBy, why));
    this.#log.info({ tenantId: entry.tenantId, address: entry.address, reason: entry.reason }, 'suppressed');
    return true;
  }

  #audit(s: Suppression, action: 'added', actor: string, why: string): SuppressionAudit {
    return {
      tenantId: s.tenantId,
      address: s.address,
      action,
      reason: s.reason,
      at: this.#now(),
      actor,
      why,
      ...(s.domain === undefined ? {} : { domain: s.domain }),
    };
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }
}
