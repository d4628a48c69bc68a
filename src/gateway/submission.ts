import type { IntakeRefusal } from './intake-refusal.ts';
import type { StreamedMessage } from './message-bytes.ts';
import type { SpoolBody } from './spool.ts';

/** A message larger than the listener keeps in memory: checked as it arrived, its body in a spool file already. */
export interface StreamedData {
  readonly message: StreamedMessage;
  readonly body: SpoolBody;
}

/** One message as the SMTP listener hands it to the intake, after DATA. */
export interface Submission {
  readonly tenantId: string;
  /** The SMTP credential's id, or null on the relay port (no AUTH). */
  readonly credential: string | null;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** The message as received (a message held in memory), or checked and streamed to the spool (data-receiver.ts). */
  readonly data: Buffer | StreamedData;
  readonly clientAddress: string;
  readonly helo: string;
  readonly secure: boolean;
}

/** The intake's answer: queued under an id once durable, or refused with the reason (mapped by intakeReply). */
export type IntakeOutcome =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly refusal: IntakeRefusal };
