import { addressList } from './address-list.ts';

/**
 * Who may transfer the zone (RFC 5936 §6: access control is the primary's duty). A secondary is an address or
 * range, optionally bound to a TSIG key: then its requests must also be signed with that key (RFC 8945). A
 * request signed with a valid key still needs a listed address; list 0.0.0.0/0 and ::/0 with a key to
 * authorise by key alone.
 */
export interface Secondary {
  readonly address: string;
  /** The TSIG key name it must sign with (lower case), or null: the address alone suffices. */
  readonly keyName: string | null;
}

export type TransferAcl = (client: string, keyName: string | null) => boolean;

/** `keyName` is the key the request was validly signed with, or null when it was unsigned. */
export function transferAcl(secondaries: readonly Secondary[]): TransferAcl {
  const entries = secondaries.map((s) => ({ matches: addressList([s.address]), keyName: s.keyName }));
  return (client, keyName) =>
    entries.some((e) => (e.keyName === null || e.keyName === keyName) && e.matches(client));
}

/** The key a secondary at `host` is bound to (its NOTIFY is signed with it), or null. */
export function secondaryKey(secondaries: readonly Secondary[], host: string): string | null {
  for (const s of secondaries) if (s.keyName !== null && addressList([s.address])(host)) return s.keyName;
  return null;
}
