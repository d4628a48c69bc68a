/** What the MIME parser hands out, and the limits it stops at. */
import type { MimeEntity } from './mime-entity.ts';

export type MimeEvent =
  | { readonly type: 'entity'; readonly entity: MimeEntity }
  | { readonly type: 'data'; readonly entity: MimeEntity; readonly data: Buffer }
  /** `bodyEnd`: where the body ends in the input, before the line break that starts the next boundary. */
  | { readonly type: 'end'; readonly entity: MimeEntity; readonly bodyEnd: number }
  /** The last event: a limit was passed, and the parser reads no further. */
  | { readonly type: 'stopped'; readonly problem: MimeProblem };

export interface MimeProblem {
  readonly reason: 'header-too-long' | 'nesting-too-deep';
  readonly detail: string;
}

export interface MimeLimits {
  readonly maxHeaderBytes: number;
  readonly maxDepth: number;
  /** Called for each part after the first, so the caller can count parts against its own budget. */
  readonly onPart?: () => void;
  /**
   * false: no `data` events for a part whose transfer encoding leaves its bytes as they are (7bit, 8bit, binary, none;
   * RFC 2045 §6.2), for a caller that reads such a body from its own input between `bodyStart` and `bodyEnd`.
   */
  readonly identityData?: boolean;
}
