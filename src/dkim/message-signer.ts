import type { HeaderField } from '../mail/index.ts';
import { signMessage, type BodyHash, type SignatureUsed, type SigningKey } from './signer.ts';

/**
 * What other folders sign with: they name the domain and hand over the header fields and the body, and get the
 * DKIM-Signature fields back. The private keys stay here (DESIGN.md: keys are never handed out); the gateway
 * sees key ids and selectors, which it records in the trace.
 */

/** The sender domain whose keys sign, and whose name is `d=`. */
export interface SigningDomain {
  readonly id: string;
  /** The name as `d=` carries it: lower case, A-labels, no trailing dot. */
  readonly name: string;
}

/**
 * Where the signer finds a domain's keys: every key that signs right now (the active key, the retiring one during
 * a rotation's overlap, an optional Ed25519 key), or none when no key may sign. `SigningKeys` is the production
 * source; tests give fixed keys.
 */
export interface SigningKeySource {
  keysFor(domain: SigningDomain): Promise<readonly SigningKey[]>;
}

export interface SignRequest {
  readonly domain: SigningDomain;
  /** The message's header fields, in order, as they will be sent. */
  readonly fields: readonly HeaderField[];
  /**
   * The body, CRLF line ends only (read, never copied); or, for a body streamed to disk, its relaxed hash from a
   * `RelaxedBodyHasher`.
   */
  readonly body: Buffer | BodyHash;
  /** `t=`. */
  readonly now: Date;
}

export type SignOutcome =
  | {
      readonly ok: true;
      /** The DKIM-Signature fields to put on top of the message, each ending in CRLF. */
      readonly fields: readonly string[];
      readonly used: readonly SignatureUsed[];
    }
  /** No key may sign for the domain now: the caller defers the message, never sends it unsigned. */
  | { readonly ok: false; readonly reason: 'no-key' };

export interface DkimSigner {
  /** Whether the domain has a key that signs now; a caller can refuse early, before it prepares the message. */
  canSign(domain: SigningDomain): Promise<boolean>;
  /** Signs with every key of the domain. Throws only when signing itself fails (broken infrastructure). */
  sign(request: SignRequest): Promise<SignOutcome>;
}

/** The signer over a key source. */
export function dkimSigner(keys: SigningKeySource): DkimSigner {
  return {
    async canSign(domain) {
      return (await keys.keysFor(domain)).length > 0;
    },
    async sign(request) {
      const found = await keys.keysFor(request.domain);
      if (found.length === 0) return { ok: false, reason: 'no-key' };
      const signed = await signMessage({
        signingDomain: request.domain.name,
        keys: found,
        fields: request.fields,
        body: request.body,
        now: request.now,
      });
      return { ok: true, fields: signed.fields, used: signed.used };
    },
  };
}
