/**
 * What each layer of unwrapping carries down to the next (budget, notes, path, depth) and hands its documents to.
 * A layer that holds other inputs (a message's parts, an mbox's messages) takes the next layer's entry as an
 * argument (`UnwrapInner`), so the layers need not import each other.
 */
import type { ByteSource } from './byte-source.ts';
import type { Budget } from './limits.ts';
import type { HeaderField } from '../mail/index.ts';
import type { FailureReport } from './model.ts';
import type { DocumentOutcome } from './outcome.ts';

export interface UnwrapContext {
  readonly budget: Budget;
  /** Forgiven oddities, shown with what is stored. */
  readonly notes: string[];
  readonly path: string;
  readonly depth: number;
  /** Inside a message, a part that is no report is normal (a greeting text, a logo), not an error. */
  readonly inMessage: boolean;
  /** The header fields of the closest enclosing message. */
  readonly message: readonly HeaderField[] | null;
}

/** What the unwrapping hands on: the capability that parses and stores each kind of document. */
export interface DocumentHandlers {
  aggregate(source: ByteSource, context: UnwrapContext): Promise<DocumentOutcome>;
  tls(json: string, context: UnwrapContext): Promise<DocumentOutcome>;
  failure(report: FailureReport, context: UnwrapContext): Promise<DocumentOutcome>;
}

/** Unwraps one inner input (a part, a message of an mbox) one level deeper, closing it afterwards. */
export type UnwrapInner = (
  stream: AsyncIterable<Uint8Array>,
  context: UnwrapContext,
) => Promise<DocumentOutcome[]>;
