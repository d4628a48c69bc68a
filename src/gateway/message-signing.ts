import type { Logger, Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import type { DkimSigner, SignatureUsed } from '../dkim/index.ts';
import { parseHeaderFields, type HeaderField } from '../mail/index.ts';
import type { SubmittedMessage } from './inspection.ts';
import type { IntakeRefusal } from './intake-refusal.ts';
import { missingFields, protocolName, receivedField } from './message-composer.ts';
import type { SigningPlan } from './signing-plan.ts';
import type { SpoolBody } from './spool.ts';

/**
 * The sign stage, in two steps with the link-rewriting hook between them (intake.ts). Draft: the message gets its
 * id and the header fields the gateway adds before signing (RFC 6409 §8: a missing Date and Message-ID). Sign: the
 * dkim capability signs the draft's fields and the (rewritten) body as the plan's domain, and a Received field
 * goes on top (RFC 5321 §4.4). The message stays in two pieces, the new header block and the body, never copied
 * into one: the spool writes both in one gathered write, and delivery sends both.
 */

export interface Draft {
  readonly id: string;
  readonly acceptedAt: Date;
  /** The header block with the added fields, ending in the CRLF of its last field. */
  readonly header: string;
  readonly fields: readonly HeaderField[];
}

/** A body that streamed to a spool file as it arrived: its relaxed hash (for the signatures), its file, its length. */
export interface StreamedBody {
  readonly relaxedSha256: Buffer;
  readonly file: SpoolBody;
  readonly length: number;
}

export interface SignedMessage {
  readonly id: string;
  readonly acceptedAt: Date;
  /** Received, the DKIM-Signature fields, the header, and the empty line that ends it. */
  readonly head: Buffer;
  readonly body: Buffer | StreamedBody;
  readonly signatures: readonly SignatureUsed[];
}

/** What a Received field says about the client. */
export interface ClientFacts {
  readonly helo: string;
  readonly clientAddress: string;
  readonly secure: boolean;
  readonly credential: string | null;
}

/** The message with its id and the fields added before signing. `hostname` names Message-IDs of unsigned mail. */
export function draftOf(
  message: SubmittedMessage,
  plan: SigningPlan,
  id: string,
  at: Date,
  hostname: string,
): Draft {
  const present = new Set(message.fields.map((f) => f.name));
  const added = missingFields((k) => present.has(k), id, plan.signingDomain?.name ?? hostname, at);
  if (added === '') return { id, acceptedAt: at, header: message.header, fields: message.fields };
  const extra = parseHeaderFields(added);
  const fields = extra.ok ? [...message.fields, ...extra.value] : message.fields;
  return { id, acceptedAt: at, header: message.header + added, fields };
}

export interface SigningDeps {
  readonly signer: DkimSigner;
  /** Our host name, for the Received field. */
  readonly hostname: string;
  /** The keys went between the plan and now (a rotation): the refusal, with the same event as at the plan. */
  readonly noKey: (domain: NonNullable<SigningPlan['signingDomain']>) => IntakeRefusal;
  readonly log: Logger;
}

export async function signDraft(
  deps: SigningDeps,
  draft: Draft,
  body: Buffer | StreamedBody,
  plan: SigningPlan,
  client: ClientFacts,
): Promise<Result<SignedMessage, IntakeRefusal>> {
  let fields: readonly string[] = [];
  let used: readonly SignatureUsed[] = [];
  if (plan.signingDomain !== null) {
    try {
      const signed = await deps.signer.sign({
        domain: plan.signingDomain,
        fields: draft.fields,
        body,
        now: draft.acceptedAt,
      });
      if (!signed.ok) return err(deps.noKey(plan.signingDomain));
      ({ fields, used } = signed);
    } catch (error) {
      deps.log.error({ err: error, domain: plan.signingDomain.name }, 'signing failed');
      return err({ reason: 'signing-failed' });
    }
  }
  const received = receivedField({
    helo: client.helo,
    clientAddress: client.clientAddress,
    byHost: deps.hostname,
    protocol: protocolName(client.secure, client.credential !== null),
    id: draft.id,
    at: draft.acceptedAt,
  });
  const head = Buffer.from(received + fields.join('') + draft.header + '\r\n', 'latin1');
  return ok({ id: draft.id, acceptedAt: draft.acceptedAt, head, body, signatures: used });
}
