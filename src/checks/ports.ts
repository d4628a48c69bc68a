import type { DomainCheck, Grade } from './model.ts';

/**
 * The state of one planned record between checks (like Postal's `dkim_status` / `dkim_error`): the last
 * definite grade, a human error, and since when. A temperror does not change it: the DNS was not seen.
 */
export interface RecordState {
  readonly key: string;
  readonly status: Grade;
  /** The first error remark's message, for lists and notifications; null when the record is fine. */
  readonly error: string | null;
  /** When `status` began. */
  readonly since: string;
  readonly checkedAt: string;
}

export interface StoredCheck {
  readonly domainId: string;
  readonly tenantId: string;
  readonly check: DomainCheck;
  readonly nextCheckAt: string;
}

/** What checks needs from the store. */
export interface CheckRepository {
  /** The latest check of a domain, or null if it was never checked. */
  latest(domainId: string): Promise<StoredCheck | null>;
  states(domainId: string): Promise<RecordState[]>;
  /** Replaces the latest check and the record states of a domain, in one transaction. */
  save(stored: StoredCheck, states: readonly RecordState[]): Promise<void>;
  /** When each checked domain is next due (domains never checked are absent: they are due now). */
  schedule(): Promise<Map<string, string>>;
}
