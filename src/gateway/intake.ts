import type { Clock, Logger } from '../core/index.ts';
import type { DkimSigner } from '../dkim/index.ts';
import { findAuthor, inspect } from './inspection.ts';
import type { IntakeRefusal } from './intake-refusal.ts';
import type { MessageIds } from './message-ids.ts';
import { draftOf, signDraft, type SigningDeps } from './message-signing.ts';
import type { LinkRewriter } from './ports.ts';
import type { SigningPlanner } from './signing-plan.ts';
import { spoolMessage, type SpoolingDeps } from './spooling.ts';
import type { IntakeOutcome, Submission } from './submission.ts';

export interface IntakeDeps {
  readonly planner: SigningPlanner;
  readonly signer: DkimSigner;
  readonly rewriter: LinkRewriter;
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
 *     inspect → author → signing plan → draft → (link rewriting) → sign → spool
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
    const plan = await deps.planner.plan(submission.tenantId, author.value.domain);
    if (!plan.ok) return refused(plan.error);
    const draft = draftOf(message.value, plan.value, deps.ids.next(), deps.clock.now(), deps.hostname);
    // Link rewriting runs before signing, so the signature covers the rewritten links. A streamed body is never
    // in memory: the listener streams only when no rewriter is configured (Gateway.streamsBodies).
    const body = Buffer.isBuffer(data)
      ? await deps.rewriter.rewrite({
          tenantId: submission.tenantId,
          domain: plan.value.domain,
          messageId: draft.id,
          header: draft.header,
          body: message.value.bytes.subarray(message.value.bodyStart),
        })
      : { relaxedSha256: data.message.relaxedBodyHash, file: data.body, length: data.message.bodyLength };
    const signed = await signDraft(this.#signing, draft, body, plan.value, submission);
    if (!signed.ok) return refused(signed.error);
    const spooled = await spoolMessage(deps.spooling, submission, author.value, plan.value, signed.value);
    return spooled.ok ? { ok: true, id: spooled.value } : refused(spooled.error);
  }
}
