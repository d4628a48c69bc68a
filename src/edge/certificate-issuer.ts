import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { EventSink } from '../events/index.ts';
import type { KekSource } from '../secrets/index.ts';
import { certificationRequest } from '../x509/index.ts';
import { AcmeFailure, type AcmeCa, type AcmeCaFactory, type AcmeOrder } from './acme-ca.ts';
import {
  checkLeaf,
  generateCertificateKey,
  hostKeyAad,
  openKey,
  sealKey,
  type CertificateKeyType,
} from './certificate-keys.ts';
import { failureEvent, issuedEvent } from './certificate-events.ts';
import type { EdgeHost, PendingOrder } from './model.ts';
import type { EdgeRepository } from './ports.ts';
import { backoffMs, isExpired, renewalDue, type RetryPolicy } from './renewal-policy.ts';

export interface IssuerDeps {
  readonly repo: EdgeRepository;
  readonly ca: AcmeCaFactory;
  readonly kek: KekSource;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly keyType: CertificateKeyType;
  readonly retry: RetryPolicy;
  readonly maxOrdersPerHour: number;
  /** How long one pass waits for the CA before it leaves the order to the next pass (which resumes it). */
  readonly patienceMs: number;
  /** Waits between polls of the CA (RFC 8555 §7.5.1: the client polls); a timer in production. */
  readonly wait: (ms: number) => Promise<void>;
  readonly log: Logger;
  /** Told when a host has a new certificate, so this node serves it at once (awaited). */
  readonly onCertificate?: (hostname: string) => Promise<void>;
}

/** What one pass over a host came to. */
export type IssueOutcome = 'issued' | 'in-progress' | 'failed' | 'rate-limited';

/**
 * Drives one host's order through RFC 8555 §7.1's states: place it (the key is made and sealed first), answer its
 * HTTP-01 challenge through the store (so every node serves it), finalize with a CSR, download and check the
 * chain, store it. Every step is persisted before the next, so a pass that stops (a restart, a crash, a slow CA)
 * leaves an order that the next pass, on any node, resumes instead of placing another.
 */
export class CertificateIssuer {
  readonly #d: IssuerDeps;

  constructor(deps: IssuerDeps) {
    this.#d = deps;
  }

  async work(host: EdgeHost): Promise<IssueOutcome> {
    const log = this.#d.log.child({ component: 'acme', hostname: host.hostname });
    try {
      const ca = await this.#d.ca();
      let order = host.order;
      if (order === null) {
        if (await this.#overRate()) {
          log.warn({ limit: this.#d.maxOrdersPerHour }, 'order waits: the hourly order limit is reached');
          return 'rate-limited';
        }
        order = await this.#place(host, ca);
        log.info({ order: order.url, renewal: host.certificate !== null }, 'order placed');
      }
      return await this.#drive(host, order, ca, log);
    } catch (error) {
      await this.#fail(host, error, log);
      return 'failed';
    }
  }

  async #overRate(): Promise<boolean> {
    const hourAgo = new Date(this.#d.clock.now().getTime() - 3_600_000).toISOString();
    return (await this.#d.repo.ordersSince(hourAgo)) >= this.#d.maxOrdersPerHour;
  }

  async #place(host: EdgeHost, ca: AcmeCa): Promise<PendingOrder> {
    const key = sealKey(generateCertificateKey(this.#d.keyType), hostKeyAad(host.hostname), this.#d.kek);
    const placed = await ca.newOrder(host.hostname);
    const now = this.#d.clock.now().toISOString();
    const order: PendingOrder = { url: placed.url, startedAt: now, key };
    await this.#d.repo.recordOrder(host.hostname, placed.url, now);
    await this.#d.repo.updateHost(
      host.hostname,
      { order, status: host.certificate === null ? 'pending' : 'renewing' },
      now,
    );
    return order;
  }

  async #drive(host: EdgeHost, pending: PendingOrder, ca: AcmeCa, log: Logger): Promise<IssueOutcome> {
    const deadline = performance.now() + this.#d.patienceMs;
    let delay = 100;
    for (;;) {
      if (performance.now() >= deadline) {
        log.info('the CA is not done yet; the next pass resumes the order');
        return 'in-progress';
      }
      const order = await ca.order(pending.url);
      switch (order.status) {
        case 'pending':
          await this.#answerChallenges(host, order, ca);
          break;
        case 'ready': {
          const keyPem = openKey(pending.key, hostKeyAad(host.hostname), this.#d.kek);
          await ca.finalize(order, certificationRequest([host.hostname], keyPem));
          continue;
        }
        case 'valid':
          await this.#store(host, pending, await ca.downloadChain(order), log);
          return 'issued';
        case 'invalid':
          throw new AcmeFailure(await this.#whyInvalid(order, ca));
        case 'processing':
          break;
      }
      await this.#d.wait(Math.min(delay, Math.max(0, deadline - performance.now())));
      delay = Math.min(delay * 2, 5_000);
    }
  }

  /** Puts each pending HTTP-01 challenge in the store, then tells the CA to validate it (RFC 8555 §7.5.1, §8.3). */
  async #answerChallenges(host: EdgeHost, order: AcmeOrder, ca: AcmeCa): Promise<void> {
    for (const url of order.authorizations) {
      const authz = await ca.authorization(url);
      if (authz.status === 'valid') continue;
      if (authz.status !== 'pending')
        throw new AcmeFailure(challengeError(authz.challenges) ?? `authorization ${authz.status}`);
      if (authz.identifier.value.toLowerCase() !== host.hostname)
        throw new AcmeFailure(`the CA asked to authorize ${authz.identifier.value}, not ${host.hostname}`);
      const challenge = authz.challenges.find((c) => c.type === 'http-01');
      if (challenge === undefined)
        throw new AcmeFailure(`the CA offers no http-01 challenge for ${host.hostname}`);
      if (challenge.status !== 'pending' && challenge.status !== 'processing') continue;
      await this.#d.repo.putChallenge({
        token: challenge.token,
        hostname: host.hostname,
        keyAuthorization: await ca.keyAuthorization(challenge.token),
        createdAt: this.#d.clock.now().toISOString(),
      });
      if (challenge.status === 'pending') await ca.respond(challenge.url);
    }
  }

  async #whyInvalid(order: AcmeOrder, ca: AcmeCa): Promise<string> {
    for (const url of order.authorizations) {
      const reason = challengeError((await ca.authorization(url)).challenges);
      if (reason !== null) return reason;
    }
    return order.error?.detail ?? 'the CA marked the order invalid';
  }

  async #store(host: EdgeHost, pending: PendingOrder, chainPem: string, log: Logger): Promise<void> {
    const keyPem = openKey(pending.key, hostKeyAad(host.hostname), this.#d.kek);
    const leaf = checkLeaf(chainPem, keyPem, host.hostname);
    if (!leaf.ok) throw new AcmeFailure(leaf.reason);
    if (isExpired(leaf.facts, this.#d.clock.now()))
      throw new AcmeFailure(
        `the CA's certificate is valid until ${leaf.facts.notAfter}, which has passed by this node's clock: check the system time`,
      );
    const now = this.#d.clock.now().toISOString();
    const id = this.#d.random.bytes(12).toString('hex');
    await this.#d.repo.storeCertificate(
      { id, hostname: host.hostname, ...leaf.facts, issuedAt: now, chainPem, key: pending.key },
      { status: 'issued', order: null, attempts: 0, nextAttemptAt: null, lastError: null },
      now,
    );
    await this.#d.repo.deleteChallenges(host.hostname);
    log.info({ serial: leaf.facts.serial, notAfter: leaf.facts.notAfter }, 'certificate issued');
    await this.#d.onCertificate?.(host.hostname);
    const renewAt = renewalDue({ ...leaf.facts, issuedAt: now }).toISOString();
    await this.#d.events.emit(issuedEvent(host, leaf.facts, renewAt, host.certificate !== null));
  }

  async #fail(host: EdgeHost, error: unknown, log: Logger): Promise<void> {
    const message = describeFailure(error);
    const now = this.#d.clock.now();
    const attempts = host.attempts + 1;
    const retryAfter = error instanceof AcmeFailure ? (error.retryAfterMs ?? 0) : 0;
    const next = new Date(now.getTime() + Math.max(backoffMs(attempts, this.#d.retry), retryAfter));
    log.warn({ err: message, attempts, nextAttemptAt: next.toISOString() }, 'order failed');
    await this.#d.repo.updateHost(
      host.hostname,
      {
        status: 'failed',
        order: null,
        attempts,
        nextAttemptAt: next.toISOString(),
        lastError: { message, at: now.toISOString() },
      },
      now.toISOString(),
    );
    await this.#d.repo.deleteChallenges(host.hostname);
    // The first failure of a streak is news; after that the 2nd, 4th, 8th... (a CA's error text names a fresh
    // token each time, so "the same reason again" cannot be told apart from a new one).
    if ((attempts & (attempts - 1)) === 0)
      await this.#d.events.emit(failureEvent(host, message, next.toISOString(), now));
  }
}

/** The CA's words about a failed challenge (RFC 8555 §7.1.5: the challenge's error field). */
function challengeError(
  challenges: readonly { readonly error?: { readonly detail: string } }[],
): string | null {
  return challenges.find((c) => c.error !== undefined)?.error?.detail ?? null;
}

/** One line, bounded: what the CA said, or what went wrong on the way to it. */
function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
