import type { Clock, Logger } from '../core/index.ts';
import type { DkimSigner } from '../dkim/index.ts';
import { findAuthor, inspect } from './inspection.ts';
import type { IntakeRefusal } from './intake-refusal.ts';
import type { MessageIds } from './message-ids.ts';
import { envelopeDomain, unsubscribeAddress } from './envelope.ts';
import { draftOf, signDraft, type Draft, type SignedMessage, type SigningDeps } from './message-signing.ts';
import type { LinkRewriter } from './ports.ts';
import { recipientCopies, withFields, type RecipientCopy } from './recipient-copies.ts';
import { decideSending, personalises, readControls, withoutControls } from './sending-policy.ts';
import type { SigningPlanner } from './signing-plan.ts';
import { spoolMessage, type SpoolingDeps } from './spooling.ts';
import type { IntakeOutcome, Submission } from './submission.ts';

export interface IntakeDeps {
  readonly planner: SigningPlanner;
  readonly signer: DkimSigner;
  /** Tracking and one-click unsubscribe URLs (ports.ts); null: none are added. */
  readonly rewriter: LinkRewriter | null;
  readonly spooling: SpoolingDeps;
  readonly ids: MessageIds;
  /** Our host name: Received, and the Message-ID of unsigned mail. */
  readonly hostname: string;
  readonly clock: Clock;
  readonly log: Logger;
}

const CRLF = Buffer.from('\r\n');
const refused = (refusal: IntakeRefusal): IntakeOutcome => ({ ok: false, refusal });

/**
 * The gateway's intake, one message at a time, as named stages that each hand data to the next:
 *
 *     inspect → author → signing plan → draft → (personalise) → sign → spool
 *
 * Personalise (sending-policy.ts, recipient-copies.ts): the X-Senderd-* control fields go, a Feedback-ID may be
 * added, and when tracking or one-click unsubscribe applies each recipient gets its own copy (links, List-Unsubscribe),
 * signed on its own. When nothing applies the message goes on exactly as before: one copy, the body never copied.
 *
 * Any stage may refuse with a reason (intake-refusal.ts); nothing is stored before the spool stage, so a refused
 * message leaves nothing behind. Independent of smtp-server: the listener calls `accept` and maps a refusal to
 * its reply.
 */
export class Intake {
  readonly #deps: IntakeDeps;
  readonly #signing: SigningDeps;

  constructor(deps: IntakeDeps) {
    this.#deps = deps;
    this.#signing = {
      signer: deps.signer,
      hostname: deps.hostname,
      noKey: (domain) => deps.planner.noKey(domain),
      log: deps.log,
    };
  }

  /** Checks, signs and spools one message. Resolves only once the message is durable, or with the refusal. */
  async accept(submission: Submission): Promise<IntakeOutcome> {
    const deps = this.#deps;
    const { data } = submission;
    // A streamed message was checked as it arrived; its header block is inspected here like a whole message's.
    const message = inspect(Buffer.isBuffer(data) ? data : Buffer.concat([data.message.header, CRLF]));
    if (!message.ok) return refused(message.error);
    const author = findAuthor(message.value);
    if (!author.ok) return refused(author.error);
    const controls = readControls(message.value.fields);
    if (!controls.ok) return refused({ reason: 'content', reply: controls.error });
    const plan = await deps.planner.plan(submission.tenantId, author.value.domain);
    if (!plan.ok) return refused(plan.error);
    // The control fields are the application's word to the gateway: they never reach a signature or a receiver.
    const submitted = { ...message.value, ...withoutControls(message.value.header, message.value.fields) };
    const decision = decideSending(plan.value.domain, submission.tenantId, controls.value, submitted.fields);
    let draft = draftOf(submitted, plan.value, deps.ids.next(), deps.clock.now(), deps.hostname);
    if (decision.feedbackId !== null) draft = withFields(draft, `Feedback-ID: ${decision.feedbackId}\r\n`);
    const body = Buffer.isBuffer(data)
      ? submitted.bytes.subarray(submitted.bodyStart)
      : { relaxedSha256: data.message.relaxedBodyHash, file: data.body, length: data.message.bodyLength };
    const copies = this.#personalise(submission, plan.value.domain, decision, draft, body);
    const signed: Array<SignedMessage & { recipients: readonly number[] }> = [];
    // Each copy's signature covers its own links and List-Unsubscribe; the signer runs them side by side.
    const outcomes = await Promise.all(
      copies.map((copy) => signDraft(this.#signing, copy.draft, copy.body, plan.value, submission)),
    );
    for (const [k, outcome] of outcomes.entries()) {
      if (!outcome.ok) return refused(outcome.error);
      signed.push({ ...outcome.value, recipients: copies[k]!.recipients });
    }
    const spooled = await spoolMessage(deps.spooling, submission, author.value, plan.value, signed);
    return spooled.ok ? { ok: true, id: spooled.value } : refused(spooled.error);
  }

  /** One copy for everyone, unless tracking or one-click unsubscribe applies (and a link rewriter is wired). */
  #personalise(
    submission: Submission,
    domain: Parameters<typeof decideSending>[0],
    decision: ReturnType<typeof decideSending>,
    draft: Draft,
    body: RecipientCopy['body'],
  ): RecipientCopy[] {
    const everyone = [{ recipients: submission.recipients.map((_, i) => i), draft, body }];
    const { rewriter, spooling } = this.#deps;
    const clickHost = decision.clickHost;
    if (rewriter === null || clickHost === null || !personalises(decision)) return everyone;
    const bounceDomain = envelopeDomain(domain, spooling.platformBounceDomain);
    return recipientCopies(
      {
        rewriter,
        decision: { ...decision, clickHost },
        recipients: submission.recipients.length,
        mailto: (i) => unsubscribeAddress(spooling.verpKey, draft.id, i, bounceDomain),
      },
      draft,
      body,
    );
  }
}
