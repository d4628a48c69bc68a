import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { DkimSigner, SignatureUsed } from '../dkim/index.ts';
import { randomBase32 } from '../core/index.ts';
import type { DomainRepository, SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import type { EventSink, NewEvent } from '../events/index.ts';
import { DeliveryQueue, type AttemptReport, type DeliveryTarget } from './delivery-queue.ts';
import { envelopeDomain, matchSenderDomain, verpAddress } from './envelope.ts';
import { authorOf, parseHeaderFields, withoutReturnPath } from './header-fields.ts';
import { inspectMessage } from './message-bytes.ts';
import { missingFields, protocolName, receivedField } from './message-composer.ts';
import { operatorDomainRefusal, operatorDomains, type OperatorDomains } from './operator-domains.ts';
import type { LinkRewriter } from './ports.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { SmtpReply } from './smtp-reply.ts';
import { Spool, type RecoveredMessage } from './spool.ts';
import type { SpooledMeta } from './spool-records.ts';
import { TraceWriter, type GatewayRepository, type MessageStatus, type MessageTrace } from './trace.ts';

/** The gateway's settings, mapped from the `gateway` config section by main.ts. */
export interface GatewaySettings {
  /** Our host name: EHLO, banner, Received. */
  readonly hostname: string;
  readonly platformBounceDomain: string;
  /** The platform zone: its organisational domain, like the bounce domain's, is the operator's (never an author's). */
  readonly platformZone: string;
  /** What to do with mail from a domain that matches no verified sender domain. */
  readonly unmatched: 'unsigned' | 'platform';
  /** The verified sender domain whose keys sign unmatched mail when `unmatched` is `platform`. */
  readonly platformDomain: string;
  readonly spoolDir: string;
  readonly segmentBytes: number;
  readonly delivery: DeliveryTarget;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  /** Secret for the VERP addresses' HMAC. */
  readonly verpKey: Buffer;
}

export interface GatewayDeps {
  readonly settings: GatewaySettings;
  readonly domains: DomainRepository;
  /** Signs as a sender domain; the keys stay in the dkim capability. */
  readonly signer: DkimSigner;
  readonly repo: GatewayRepository;
  readonly events: EventSink;
  readonly rewriter: LinkRewriter;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** The organisational domain of a name (the registrable domain under the Public Suffix List, RFC 7489 §3.2). */
  readonly organizationalDomain: (name: DomainName) => string;
}

/** One message as the SMTP listener hands it over, after DATA. */
export interface Submission {
  readonly tenantId: string;
  readonly credential: string | null;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly data: Buffer;
  readonly clientAddress: string;
  readonly helo: string;
  readonly secure: boolean;
}

export type AcceptOutcome =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly reply: SmtpReply };

interface SigningPlan {
  readonly domain: SenderDomain | null;
  readonly signingDomain: SenderDomain | null;
  readonly decision: string;
}

const DOMAIN_CACHE_MS = 5_000;
const NO_KEY_EVENT_EVERY_MS = 10 * 60_000;
const MEMORY_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The gateway's core: accept (check, sign, spool) and deliver (queue, retry, bounce). The SMTP listeners call
 * `accept`; everything here is independent of smtp-server.
 */
export class Gateway {
  readonly #deps: GatewayDeps;
  readonly #spool: Spool;
  readonly #queue: DeliveryQueue;
  readonly #trace: TraceWriter;
  readonly #operatorDomains: OperatorDomains;
  readonly #domainCache = new Map<string, { at: number; domains: SenderDomain[] }>();
  readonly #noKeyEvents = new Map<string, number>();
  /** Per live message: recipients not yet done, and the outcome of each. */
  readonly #progress = new Map<
    string,
    { meta: SpooledMeta; statuses: Array<'pending' | 'delivered' | 'bounced'> }
  >();
  /** The bytes of live messages, for delivery without reading the spool back: the new header, then the body. */
  readonly #bytes = new Map<string, readonly Buffer[]>();
  #cachedBytes = 0;
  /** Random bytes drawn 1,280 at a time for message ids, not 20 per message (one system call per 64 ids). */
  #idRandom: Buffer = Buffer.alloc(0);
  #idRandomAt = 0;
  #compactTimer: NodeJS.Timeout | undefined;

  private constructor(deps: GatewayDeps, spool: Spool) {
    this.#deps = deps;
    this.#spool = spool;
    this.#trace = new TraceWriter(deps.repo, deps.log);
    const s = deps.settings;
    this.#operatorDomains = operatorDomains(
      { bounceDomain: s.platformBounceDomain, zone: s.platformZone, platformDomain: s.platformDomain },
      deps.organizationalDomain,
    );
    this.#queue = new DeliveryQueue({
      target: s.delivery,
      heloName: s.hostname,
      concurrency: s.concurrency,
      retry: s.retry,
      connectTimeoutMs: s.connectTimeoutMs,
      commandTimeoutMs: s.commandTimeoutMs,
      idleMs: 5_000,
      load: (id) => this.#load(id),
      report: (attempt) => this.#onAttempt(attempt),
      now: () => deps.clock.now().getTime(),
    });
  }

  /** Opens the spool and puts every message that was not finished back in the queue. */
  static async start(deps: GatewayDeps): Promise<Gateway> {
    const { spool, recovered } = await Spool.open(deps.settings.spoolDir, {
      segmentBytes: deps.settings.segmentBytes,
      now: () => deps.clock.now().getTime(),
    });
    const gateway = new Gateway(deps, spool);
    for (const message of recovered) gateway.#resume(message);
    if (recovered.length > 0) deps.log.info({ messages: recovered.length }, 'recovered the spool');
    gateway.#compactTimer = setInterval(() => {
      spool
        .compact(10 * 60_000)
        .catch((error: unknown) => deps.log.error({ err: error }, 'spool compaction failed'));
    }, 60_000);
    gateway.#compactTimer.unref();
    return gateway;
  }

  #resume(message: RecoveredMessage): void {
    const { meta, states } = message;
    this.#progress.set(meta.id, { meta, statuses: states.map((s) => s.status) });
    const acceptedAt = Date.parse(meta.acceptedAt);
    states.forEach((state, i) => {
      if (state.status !== 'pending') return;
      const r = meta.recipients[i]!;
      this.#queue.enqueue(
        {
          messageId: meta.id,
          recipient: i,
          address: r.address,
          envelopeFrom: r.envelopeFrom,
          acceptedAt,
          attempts: state.attempts,
        },
        state.nextAttemptAt,
      );
    });
  }

  /** Checks, signs and spools one message. Resolves only once the message is durable, or with the refusal. */
  async accept(submission: Submission): Promise<AcceptOutcome> {
    const inspected = inspectMessage(submission.data);
    if (!inspected.ok) return { ok: false, reply: inspected.error };
    const { bytes, headerLength, bodyStart } = inspected.value;
    const submitted = bytes.subarray(0, headerLength).toString('latin1');
    const parsed = parseHeaderFields(submitted);
    if (!parsed.ok) return { ok: false, reply: parsed.error };
    const { header, fields: given } = withoutReturnPath(submitted, parsed.value);
    const author = authorOf(given);
    if (!author.ok) return { ok: false, reply: author.error };

    const plan = await this.#signingPlan(submission.tenantId, author.value.domain);
    if ('reply' in plan) return { ok: false, reply: plan.reply };

    const now = this.#deps.clock.now();
    const id = randomBase32({ bytes: (n) => this.#randomBytes(n) }, 20);
    const keys = new Set(given.map((f) => f.key));
    const added = missingFields(
      (k) => keys.has(k),
      id,
      plan.signingDomain?.name ?? this.#deps.settings.hostname,
      now,
    );
    const extra = parseHeaderFields(added);
    const fields = extra.ok ? [...given, ...extra.value] : given;
    const fullHeader = header + added;
    const body = await this.#deps.rewriter.rewrite({
      tenantId: submission.tenantId,
      domain: plan.domain,
      messageId: id,
      header: fullHeader,
      body: bytes.subarray(bodyStart),
    });
    let signatures: { fields: readonly string[]; used: readonly SignatureUsed[] } = { fields: [], used: [] };
    try {
      if (plan.signingDomain !== null) {
        const signed = await this.#deps.signer.sign({ domain: plan.signingDomain, fields, body, now });
        // The keys went between the plan and now (a rotation): defer, as if there had been none at the plan.
        if (!signed.ok) return { ok: false, reply: this.#noKey(plan.signingDomain).reply };
        signatures = signed;
      }
    } catch (error) {
      this.#deps.log.error({ err: error, domain: plan.signingDomain?.name }, 'signing failed');
      return { ok: false, reply: { code: 451, enhanced: '4.7.0', text: 'Signing failed; try again later.' } };
    }
    const received = receivedField({
      helo: submission.helo,
      clientAddress: submission.clientAddress,
      byHost: this.#deps.settings.hostname,
      protocol: protocolName(submission.secure, submission.credential !== null),
      id,
      at: now,
    });
    // The message stays in two pieces, never copied into one: the spool writes both in one gathered write, and
    // delivery sends both.
    const head = Buffer.from(received + signatures.fields.join('') + fullHeader + '\r\n', 'latin1');
    const message = [head, body] as const;
    const size = head.length + body.length;
    const bounceDomain = envelopeDomain(plan.domain, this.#deps.settings.platformBounceDomain);
    const meta: SpooledMeta = {
      id,
      tenantId: submission.tenantId,
      domainId: plan.domain?.id ?? null,
      acceptedAt: now.toISOString(),
      recipients: submission.recipients.map((address, i) => ({
        address,
        envelopeFrom: verpAddress(this.#deps.settings.verpKey, id, i, bounceDomain),
      })),
    };
    try {
      await this.#spool.accept(meta, message);
    } catch (error) {
      this.#deps.log.error({ err: error }, 'spooling failed');
      return {
        ok: false,
        reply: {
          code: 451,
          enhanced: '4.3.0',
          text: 'The spool cannot take the message now; try again later.',
        },
      };
    }
    this.#trace.message({
      id,
      tenantId: submission.tenantId,
      domainId: plan.domain?.id ?? null,
      senderDomain: plan.domain?.name ?? null,
      headerFrom: author.value.address,
      submittedMailFrom: submission.mailFrom,
      recipients: meta.recipients,
      signatures: signatures.used,
      signingDecision: plan.decision,
      clientAddress: submission.clientAddress,
      credential: submission.credential,
      size,
      acceptedAt: meta.acceptedAt,
      status: 'queued',
      updatedAt: meta.acceptedAt,
    } satisfies MessageTrace);
    if (this.#cachedBytes + size <= MEMORY_CACHE_BYTES) {
      this.#bytes.set(id, message);
      this.#cachedBytes += size;
    }
    this.#resume({
      meta,
      states: meta.recipients.map(() => ({ status: 'pending', attempts: 0, nextAttemptAt: 0 })),
    });
    return { ok: true, id };
  }

  #randomBytes(n: number): Buffer {
    if (this.#idRandomAt + n > this.#idRandom.length) {
      this.#idRandom = this.#deps.random.bytes(Math.max(n, 1280));
      this.#idRandomAt = 0;
    }
    const bytes = this.#idRandom.subarray(this.#idRandomAt, this.#idRandomAt + n);
    this.#idRandomAt += n;
    return bytes;
  }

  async #signingPlan(
    tenantId: string,
    fromDomain: SenderDomain['name'],
  ): Promise<SigningPlan | { reply: SmtpReply }> {
    const matched = matchSenderDomain(await this.#domainsOf(tenantId), fromDomain);
    if (matched !== null && matched.verifiedAt !== null) {
      if (!(await this.#deps.signer.canSign(matched))) return this.#noKey(matched);
      return {
        domain: matched,
        signingDomain: matched,
        decision: `Signed as ${matched.name}, the sender domain matching ${fromDomain}.`,
      };
    }
    // Unmatched mail leaves with the platform's envelope domain (and maybe its d=), which DMARC would align with
    // any author in the same organisational domain: the operator's own domains are not for tenants to write as.
    const operator = operatorDomainRefusal(
      fromDomain,
      this.#operatorDomains,
      this.#deps.organizationalDomain,
    );
    if (operator !== null) {
      this.#deps.log.warn({ tenantId, fromDomain }, 'refused: From domain is in an operator domain');
      this.#emitOnce(`operator:${tenantId}`, {
        tenantId,
        domainId: null,
        type: 'gateway.signing.operator_domain_refused',
        severity: 'warning',
        message: `Mail with From domain ${fromDomain} was refused: ${operator.text}`,
        data: { domain: fromDomain },
      });
      return { reply: operator };
    }
    // DESIGN.md: until a domain is verified, senderd does not sign as that domain.
    const why =
      matched === null
        ? `No sender domain of this tenant matches ${fromDomain}`
        : `The sender domain ${matched.name} is not verified yet`;
    if (this.#deps.settings.unmatched === 'unsigned') {
      return {
        domain: matched,
        signingDomain: null,
        decision: `${why}; left unsigned (gateway.signing.unmatched).`,
      };
    }
    const platform = await this.#platformDomain();
    if (platform === null) {
      this.#emitOnce('platform', {
        tenantId,
        domainId: null,
        type: 'gateway.signing.no_platform_domain',
        severity: 'critical',
        message: `Mail that matches no sender domain should be signed as ${this.#deps.settings.platformDomain || '(unset)'}, but no verified sender domain has that name. Such mail is deferred.`,
        data: { platformDomain: this.#deps.settings.platformDomain },
      });
      return {
        reply: {
          code: 451,
          enhanced: '4.7.0',
          text: 'No signing key is ready for this sender; try again later.',
        },
      };
    }
    if (!(await this.#deps.signer.canSign(platform))) return this.#noKey(platform);
    return {
      domain: matched,
      signingDomain: platform,
      decision: `${why}; signed as the platform domain ${platform.name}.`,
    };
  }

  #noKey(domain: SenderDomain): { reply: SmtpReply } {
    // Never send unsigned in silence (DESIGN.md): defer, so the client keeps the message and retries, and alert.
    this.#emitOnce(domain.id, {
      tenantId: domain.tenantId,
      domainId: domain.id,
      type: 'gateway.signing.no_key',
      severity: 'critical',
      message: `${domain.name} has no DKIM key that can sign now; its mail is being deferred (451) until one is active.`,
      data: { domain: domain.name },
    });
    return {
      reply: {
        code: 451,
        enhanced: '4.7.0',
        text: `No DKIM key is ready for ${domain.name}; try again later.`,
      },
    };
  }

  #emitOnce(key: string, event: NewEvent): void {
    const now = this.#deps.clock.now().getTime();
    const last = this.#noKeyEvents.get(key);
    if (last !== undefined && now - last < NO_KEY_EVENT_EVERY_MS) return;
    this.#noKeyEvents.set(key, now);
    this.#deps.log.error({ domain: event.data.domain, type: event.type }, event.message);
    this.#emit(event);
  }

  #emit(event: NewEvent): void {
    this.#deps.events
      .emit(event)
      .catch((error: unknown) => this.#deps.log.error({ err: error }, 'emitting an event failed'));
  }

  async #domainsOf(tenantId: string): Promise<SenderDomain[]> {
    const now = this.#deps.clock.now().getTime();
    const cached = this.#domainCache.get(tenantId);
    if (cached !== undefined && now - cached.at < DOMAIN_CACHE_MS) return cached.domains;
    const domains = await this.#deps.domains.listByTenant(tenantId);
    this.#domainCache.set(tenantId, { at: now, domains });
    return domains;
  }

  async #platformDomain(): Promise<SenderDomain | null> {
    const name = this.#deps.settings.platformDomain;
    if (name === '') return null;
    const now = this.#deps.clock.now().getTime();
    const cached = this.#domainCache.get('\0platform');
    const all =
      cached !== undefined && now - cached.at < DOMAIN_CACHE_MS
        ? cached.domains
        : await this.#deps.domains.listAll();
    this.#domainCache.set('\0platform', { at: now, domains: all });
    // Only one tenant can have verified a name: verification proves its CNAMEs point at that tenant's token.
    return all.find((d) => d.name === name && d.verifiedAt !== null) ?? null;
  }

  async #load(id: string): Promise<readonly Buffer[]> {
    return this.#bytes.get(id) ?? [await this.#spool.read(id)];
  }

  #onAttempt(a: AttemptReport): void {
    const progress = this.#progress.get(a.job.messageId);
    if (progress === undefined) return;
    const { meta } = progress;
    const at = this.#deps.clock.now().toISOString();
    const done = a.status === 'delivered' ? 'delivered' : a.status === 'deferred' ? 'pending' : 'bounced';
    this.#deps.log[done === 'delivered' ? 'debug' : 'info'](
      {
        id: meta.id,
        to: a.job.address,
        status: a.status,
        code: a.code,
        reply: a.reply,
        host: a.host,
        attempts: a.job.attempts,
      },
      'delivery attempt',
    );
    this.#spool.recordState({
      id: meta.id,
      recipient: a.job.recipient,
      status: done,
      attempts: a.job.attempts,
      nextAttemptAt: a.nextAttemptAt,
    });
    this.#trace.attempt({
      messageId: meta.id,
      tenantId: meta.tenantId,
      recipient: a.job.address,
      at,
      status: a.status,
      code: a.code,
      reply: a.reply,
      host: a.host,
      tls: a.tls,
    });
    if (done === 'bounced') this.#bounce(meta, a, at);
    progress.statuses[a.job.recipient] = done;
    if (progress.statuses.some((s) => s === 'pending')) return;
    this.#progress.delete(meta.id);
    this.#spool.release(meta.id);
    const cached = this.#bytes.get(meta.id);
    if (cached !== undefined) {
      this.#bytes.delete(meta.id);
      for (const piece of cached) this.#cachedBytes -= piece.length;
    }
    const bounced = progress.statuses.filter((s) => s === 'bounced').length;
    const status: MessageStatus =
      bounced === 0 ? 'delivered' : bounced === progress.statuses.length ? 'bounced' : 'partially-bounced';
    this.#trace.status(meta.id, status, at);
  }

  #bounce(meta: SpooledMeta, a: AttemptReport, at: string): void {
    const reason = a.status === 'expired' ? 'expired' : 'rejected';
    this.#trace.bounce({
      messageId: meta.id,
      tenantId: meta.tenantId,
      domainId: meta.domainId,
      recipient: a.job.address,
      at,
      reason,
      code: a.code,
      reply: a.reply,
    });
    this.#emit({
      tenantId: meta.tenantId,
      domainId: meta.domainId,
      type: 'gateway.message.bounced',
      severity: 'warning',
      message:
        reason === 'expired'
          ? `Message ${meta.id} to ${a.job.address} could not be delivered before the retry period ran out (last reply: ${a.code} ${a.reply}).`
          : `Message ${meta.id} to ${a.job.address} was refused: ${a.code} ${a.reply}`,
      data: {
        messageId: meta.id,
        recipient: a.job.address,
        reason,
        code: a.code,
        reply: a.reply,
        host: a.host,
      },
    });
  }

  /** Queue and spool figures, for logs and tests. */
  stats(): { spooled: number; segments: number; ready: number; active: number; scheduled: number } {
    const spool = this.#spool.stats();
    return { spooled: spool.liveMessages, segments: spool.segments, ...this.#queue.stats() };
  }

  /** Writes the buffered trace rows now (tests and shutdown). */
  flushTrace(): Promise<void> {
    return this.#trace.flush();
  }

  async stop(): Promise<void> {
    if (this.#compactTimer !== undefined) clearInterval(this.#compactTimer);
    await this.#queue.stop();
    await this.#trace.flush();
    await this.#spool.close();
  }
}
