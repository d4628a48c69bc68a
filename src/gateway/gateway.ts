import type { Clock, Logger, RandomSource } from '../core/index.ts';
import type { DkimSigner } from '../dkim/index.ts';
import type { DomainRepository } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import type { EventSink } from '../events/index.ts';
import { DeliveryProgress, type DeliverySettings } from './delivery-progress.ts';
import { GatewayAlerts } from './gateway-alerts.ts';
import { Intake } from './intake.ts';
import { MessageIds } from './message-ids.ts';
import { noSuppressions, type GatewaySuppressions, type LinkRewriter } from './ports.ts';
import { SenderDomainCache } from './sender-domain-cache.ts';
import { SigningPlanner, type SigningPlanSettings } from './signing-plan.ts';
import type { SpooledMeta } from './spool-records.ts';
import { Spool, type SpoolBody } from './spool.ts';
import type { IntakeOutcome, Submission } from './submission.ts';
import { TraceWriter, type GatewayRepository, type MessageTrace, type TraceTiming } from './trace.ts';

/**
 * The gateway's core, independent of smtp-server: the intake (check, sign, spool; intake.ts) and delivery (queue,
 * retry, bounce; delivery-progress.ts) over one durable spool and one trace. This class opens and closes them.
 */

/** The gateway's settings, mapped from the `gateway` config section by gateway-component.ts. */
export interface GatewaySettings extends SigningPlanSettings, DeliverySettings {
  readonly spoolDir: string;
  /** How often the trace is written to the store (trace.ts); the defaults when absent. */
  readonly trace?: Partial<TraceTiming>;
  readonly segmentBytes: number;
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
  /** Click and open tracking and the one-click unsubscribe URL (ports.ts); none: no URL of ours is added. */
  readonly rewriter?: LinkRewriter;
  /** The suppression list: bounces go to it, and the listeners ask it at RCPT. None by default. */
  readonly suppressions?: GatewaySuppressions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** The organisational domain of a name (the registrable domain under the Public Suffix List, RFC 7489 §3.2). */
  readonly organizationalDomain: (name: DomainName) => string;
}

/** Opens the spool, recovers it, and wires the intake and delivery over it. */
/** What the gateway tells /metrics: its spool, its queue and the outcomes of its delivery attempts so far. */
export type GatewayStats = { spooled: number; segments: number } & ReturnType<DeliveryProgress['stats']>;

export class Gateway {
  readonly #spool: Spool;
  readonly #trace: TraceWriter;
  readonly #progress: DeliveryProgress;
  readonly #intake: Intake;
  readonly #compactTimer: NodeJS.Timeout;

  private constructor(deps: GatewayDeps, spool: Spool) {
    const { settings, clock, log } = deps;
    this.#spool = spool;
    this.#trace = new TraceWriter(deps.repo, log, settings.trace);
    const alerts = new GatewayAlerts(deps.events, clock, log);
    this.#progress = new DeliveryProgress({
      settings,
      spool,
      trace: this.#trace,
      alerts,
      suppressions: deps.suppressions ?? noSuppressions,
      clock,
      log,
    });
    const planner = new SigningPlanner({
      settings,
      domains: new SenderDomainCache(deps.domains, clock),
      signer: deps.signer,
      alerts,
      log,
      organizationalDomain: deps.organizationalDomain,
    });
    this.#intake = new Intake({
      planner,
      signer: deps.signer,
      rewriter: deps.rewriter ?? null,
      spooling: {
        spool,
        trace: this.#trace,
        progress: this.#progress,
        verpKey: settings.verpKey,
        platformBounceDomain: settings.platformBounceDomain,
        log,
      },
      ids: new MessageIds(deps.random),
      hostname: settings.hostname,
      clock,
      log,
    });
    this.#compactTimer = setInterval(() => {
      spool
        .compact(10 * 60_000)
        .catch((error: unknown) => log.error({ err: error }, 'spool compaction failed'));
    }, 60_000);
    this.#compactTimer.unref();
  }

  /** Opens the spool and puts every message that was not finished back in the queue. */
  static async start(deps: GatewayDeps): Promise<Gateway> {
    const { spool, recovered } = await Spool.open(deps.settings.spoolDir, {
      segmentBytes: deps.settings.segmentBytes,
      now: () => deps.clock.now().getTime(),
    });
    const gateway = new Gateway(deps, spool);
    for (const message of recovered) {
      // A crash can come between the spool's fsync and the trace row's commit (trace.ts). The row must be in the
      // store before the first attempt, or a quick DSN finds no message: write what the spool knows (a row that is
      // already there is left as it is), then resume. The writer resolves also when the store refuses the row.
      void gateway.#trace.message(recoveredTrace(message.meta)).then(() => gateway.#progress.resume(message));
    }
    if (recovered.length > 0) deps.log.info({ messages: recovered.length }, 'recovered the spool');
    return gateway;
  }

  /** Checks, signs and spools one message. Resolves only once the message is durable, or with the refusal. */
  accept(submission: Submission): Promise<IntakeOutcome> {
    return this.#intake.accept(submission);
  }

  /**
   * Where the listeners stream large messages while they arrive: a temporary file in the spool folder. Such a
   * message gets its per-recipient header fields but no link rewriting (intake.ts).
   */
  get bodyFiles(): () => Promise<SpoolBody> {
    return () => this.#spool.createBody();
  }

  /** Queue and spool figures, for logs and tests. */
  stats(): GatewayStats {
    const spool = this.#spool.stats();
    return { spooled: spool.liveMessages, segments: spool.segments, ...this.#progress.stats() };
  }

  /** Writes the buffered trace rows now (tests and shutdown). */
  flushTrace(): Promise<void> {
    return this.#trace.flush();
  }

  async stop(): Promise<void> {
    clearInterval(this.#compactTimer);
    await this.#progress.stop();
    await this.#trace.flush();
    await this.#spool.close();
  }
}

/** The row a recovered message gets if its own was never written: what the spool record holds, no more. */
function recoveredTrace(meta: SpooledMeta): MessageTrace {
  return {
    id: meta.id,
    tenantId: meta.tenantId,
    domainId: meta.domainId,
    senderDomain: null,
    headerFrom: '',
    submittedMailFrom: '',
    recipients: meta.recipients.map(({ address, envelopeFrom }) => ({ address, envelopeFrom })),
    signatures: [],
    signingDecision: 'recovered from the spool after a restart; the trace row was not written before it',
    clientAddress: '',
    credential: null,
    size: 0,
    acceptedAt: meta.acceptedAt,
    status: 'queued',
    updatedAt: meta.acceptedAt,
  };
}
