import type { IntakeRefusal } from './intake-refusal.ts';

/** One message as the SMTP listener hands it to the intake, after DATA. */
export interface Submission {
  readonly tenantId: string;
  /** The SMTP credential's id, or null on the relay port (no AUTH). */
  readonly credential: string | null;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly data: Buffer;
  readonly clientAddress: string;
  readonly helo: string;
  readonly secure: boolean;
}

/** The intake's answer: queued under an id once durable, or refused with the reason (mapped by intakeReply). */
export type IntakeOutcome =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly refusal: IntakeRefusal };
