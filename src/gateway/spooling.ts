import type { Logger, Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import type { DeliveryProgress } from './delivery-progress.ts';
import { envelopeDomain, verpAddress } from './envelope.ts';
import type { FromAddress } from './submitted-header.ts';
import type { IntakeRefusal } from './intake-refusal.ts';
import type { SignedMessage } from './message-signing.ts';
import type { SigningPlan } from './signing-plan.ts';
import type { Spool } from './spool.ts';
import type { SpooledMeta } from './spool-records.ts';
import type { Submission } from './submission.ts';
import type { TraceWriter } from './trace.ts';

export interface SpoolingDeps {
  readonly spool: Spool;
  readonly trace: TraceWriter;
  readonly progress: DeliveryProgress;
  /** Secret for the VERP addresses' HMAC. */
  readonly verpKey: Buffer;
  readonly platformBounceDomain: string;
  readonly log: Logger;
}

/**
 * The spool stage: the envelope of each delivery (a VERP address per recipient, envelope.ts), the message and its
 * envelope made durable in one gathered write (a streamed body: its file first, spool.ts), then its trace and its
 * recipients handed to delivery. A message personalised per recipient (recipient-copies.ts) is spooled as its
 * copies one after another in the same record, each recipient naming its copy. It resolves only once the message
 * is on disk: the 250 follows.
 */
export async function spoolMessage(
  deps: SpoolingDeps,
  submission: Submission,
  author: FromAddress,
  plan: SigningPlan,
  copies: ReadonlyArray<SignedMessage & { readonly recipients: readonly number[] }>,
): Promise<Result<string, IntakeRefusal>> {
  const first = copies[0]!;
  const { id, body } = first;
  const bounceDomain = envelopeDomain(plan.domain, deps.platformBounceDomain);
  const personalised = copies.length > 1 || first.recipients.length !== submission.recipients.length;
  const copyOf = new Map<number, number>();
  copies.forEach((copy, k) => copy.recipients.forEach((i) => copyOf.set(i, k)));
  const inMemory = Buffer.isBuffer(body);
  // Each copy's bytes: its head and, in memory, its body. A streamed body is one file shared by every copy.
  const pieces = copies.map((c) => (Buffer.isBuffer(c.body) ? [c.head, c.body] : [c.head]));
  const meta: SpooledMeta = {
    id,
    tenantId: submission.tenantId,
    domainId: plan.domain?.id ?? null,
    acceptedAt: first.acceptedAt.toISOString(),
    recipients: submission.recipients.map((address, i) => ({
      address,
      envelopeFrom: verpAddress(deps.verpKey, id, i, bounceDomain),
      ...(personalised ? { copy: copyOf.get(i)! } : {}),
    })),
    ...(personalised ? { copies: pieces.map((p) => p.reduce((n, b) => n + b.length, 0)) } : {}),
  };
  const message = pieces.flat();
  try {
    await deps.spool.accept(meta, message, inMemory ? undefined : body.file);
  } catch (error) {
    deps.log.error({ err: error }, 'spooling failed');
    return err({ reason: 'spool-unavailable' });
  }
  // The size a recipient receives (every copy is about the same).
  const size = first.head.length + body.length;
  const traced = deps.trace.message({
    id,
    tenantId: submission.tenantId,
    domainId: plan.domain?.id ?? null,
    senderDomain: plan.domain?.name ?? null,
    headerFrom: author.address,
    submittedMailFrom: submission.mailFrom,
    recipients: meta.recipients.map(({ address, envelopeFrom }) => ({ address, envelopeFrom })),
    signatures: first.signatures,
    signingDecision: plan.decision,
    clientAddress: submission.clientAddress,
    credential: submission.credential,
    size,
    acceptedAt: meta.acceptedAt,
    status: 'queued',
    updatedAt: meta.acceptedAt,
  });
  // A streamed message is read back from its file when its turn comes: never whole in memory. Its first attempt
  // waits for its trace row (delivery-progress.ts); the 250 does not.
  deps.progress.accepted(meta, inMemory ? pieces : undefined, size, traced);
  return ok(id);
}
