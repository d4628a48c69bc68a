/**
 * What a node takes from its surroundings besides the configuration: the clock, randomness and logger every part
 * shares, and the adapters a test or simulation may replace. The defaults are applied once, here, so no other
 * file writes `clock ?? systemClock`.
 */
import {
  cryptoRandom,
  quietLogger,
  systemClock,
  type Clock,
  type Logger,
  type RandomSource,
} from './core/index.ts';
import type { KeyGenerator, KeyVisibilityProbe, SigningKeySource } from './dkim/index.ts';
import type { DmarcEvidenceSource, ReportAuthorizationProbe } from './dmarc/index.ts';
import type { PublicSuffixList } from './domains/index.ts';
import type { EmailTransport, EventSink, WebhookTransport } from './events/index.ts';
import type { MailResolver } from './gateway/index.ts';
import type { BounceSink } from './inbound/index.ts';
import type { ReverseResolver } from './reports/index.ts';
import type { DnsResolver } from './resolver/index.ts';

export interface Runtime {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly publicSuffixes?: PublicSuffixList;
  readonly log?: Logger;
  /** Key generation (simulations hand out pre-generated keys). */
  readonly keygen?: KeyGenerator;
  /** Whether a new key is visible through the customer's DNS (default: DNS through resolvers.servers). */
  readonly probe?: KeyVisibilityProbe;
  readonly webhook?: WebhookTransport;
  readonly email?: EmailTransport | null;
  /** Report statistics for the DMARC autopilot and impact preview. */
  readonly dmarcEvidence?: DmarcEvidenceSource;
  /** Whether a third-party rua domain authorises reports (default: DNS through resolvers.servers). */
  readonly reportAuthorization?: ReportAuthorizationProbe;
  /** The DNS client the checks use; a stub resolver over UDP/TCP by default. */
  readonly resolver?: DnsResolver;
  /** Also told of every event the checks, the DMARC rollout and the gateway raise (tests observe through it). */
  readonly events?: EventSink;
  /** The keys the gateway's signer uses; by default the dkim capability's signing keys. */
  readonly signingKeys?: SigningKeySource;
  /** DNS for the gateway's direct (MX) delivery; the system resolver by default. */
  readonly mailResolver?: MailResolver;
  /** Resolver for the reverse names of report sources (tests give their own). */
  readonly reverseResolver?: ReverseResolver;
  /** Where mail to bounce addresses goes; without one, the inbound listener refuses bounce addresses. */
  readonly bounces?: BounceSink;
}

/** A runtime whose shared parts are settled: every component of a node reads the same clock, random and log. */
export interface NodeRuntime extends Runtime {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
}

/** Applies the defaults: the system clock, crypto randomness, and a logger that drops everything. */
export function resolveRuntime(runtime: Runtime): NodeRuntime {
  return {
    ...runtime,
    clock: runtime.clock ?? systemClock,
    random: runtime.random ?? cryptoRandom,
    log: runtime.log ?? quietLogger(),
  };
}
