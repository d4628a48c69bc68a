/**
 * What a node takes from its surroundings besides the configuration: the clock, randomness and logger every part
 * shares, and the adapters a test or simulation may replace. The defaults are applied once, here, so no other
 * file writes `clock ?? systemClock`.
 */
import { readFileSync } from 'node:fs';
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
import type { AcmeCaFactory } from './edge/index.ts';
import type { PublicSuffixList } from './domains/index.ts';
import type { EmailTransport, EventSink, WebhookTransport } from './events/index.ts';
import type { MailResolver } from './gateway/index.ts';
import type { MxLookup } from './mta-sts/index.ts';
import type { BounceSink } from './inbound/index.ts';
import type { ReverseResolver } from './reports/index.ts';
import type { DnsResolver } from './resolver/index.ts';
import type { DiscoveryDeps } from './provisioning/index.ts';

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
  /** Domain Connect discovery's https GET (default: public addresses only, the system's CAs). */
  readonly domainConnectGet?: DiscoveryDeps['getJson'];
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
  /** The soft RLIMIT_NOFILE the listeners share; read from /proc/self/limits by default. */
  readonly descriptorLimit?: number;
  /** The ACME CA (default: acme-client against edge.acme.directoryUrl). */
  readonly acmeCa?: AcmeCaFactory;
  /** How long one ACME pass waits for the CA before the next pass resumes the order (default 90 s). */
  readonly acmePatienceMs?: number;
  /** The MX hosts of a domain for MTA-STS (default: the recursive resolvers of `resolvers.servers`). */
  readonly mxLookup?: MxLookup;
}

/** A runtime whose shared parts are settled: every component of a node reads the same clock, random and log. */
export interface NodeRuntime extends Runtime {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  readonly descriptorLimit: number;
}

/** Applies the defaults: the system clock, crypto randomness, and a logger that drops everything. */
export function resolveRuntime(runtime: Runtime): NodeRuntime {
  return {
    ...runtime,
    clock: runtime.clock ?? systemClock,
    random: runtime.random ?? cryptoRandom,
    log: runtime.log ?? quietLogger(),
    descriptorLimit: runtime.descriptorLimit ?? openFilesLimit(),
  };
}

/**
 * The soft limit on open descriptors. Node raises it to the hard limit as it starts (PlatformInit in node.cc:
 * "Raise the open file descriptor limit"), so the figure here is already the most the process may have; it is
 * what docs/operations.md says to raise (LimitNOFILE=). Infinity where /proc is not there to ask.
 */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line === undefined ? NaN : Number(line.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? soft : Infinity;
  } catch {
    return Infinity;
  }
}
