import type { Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import type { HeaderField } from '../mail/index.ts';
import type { IntakeRefusal } from './intake-refusal.ts';
import { inspectMessage } from './message-bytes.ts';
import { authorOf, submittedFields, withoutReturnPath, type FromAddress } from './submitted-header.ts';

/**
 * The first two stages of the intake. Inspect: the submitted bytes made CRLF-only and checked against RFC 5322,
 * the header split into fields, any Return-Path the client added dropped. Author: the one From mailbox, whose
 * domain the signing plan matches. Nothing is stored yet, so a refusal here leaves nothing behind.
 */

export interface SubmittedMessage {
  /** The message with CRLF line ends only. */
  readonly bytes: Buffer;
  /** The header block as it will be sent (without Return-Path), ending in the CRLF of its last field. */
  readonly header: string;
  readonly fields: readonly HeaderField[];
  /** Offset of the first body byte in `bytes`. */
  readonly bodyStart: number;
}

export function inspect(data: Buffer): Result<SubmittedMessage, IntakeRefusal> {
  const inspected = inspectMessage(data);
  if (!inspected.ok) return err({ reason: 'content', reply: inspected.error });
  const { bytes, headerLength, bodyStart } = inspected.value;
  const submitted = bytes.subarray(0, headerLength).toString('latin1');
  const parsed = submittedFields(submitted);
  if (!parsed.ok) return err({ reason: 'content', reply: parsed.error });
  // RFC 5321 §4.4: the final delivering server adds Return-Path; a client's would claim an envelope it never had.
  const { header, fields } = withoutReturnPath(submitted, parsed.value);
  return ok({ bytes, header, fields, bodyStart });
}

export function findAuthor(message: SubmittedMessage): Result<FromAddress, IntakeRefusal> {
  const author = authorOf(message.fields);
  return author.ok ? author : err({ reason: 'content', reply: author.error });
}
