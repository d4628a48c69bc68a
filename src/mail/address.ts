/**
 * Addresses outside a header field's grammar: an envelope address split into its parts (RFC 5321 §4.1.2), and
 * the domain named by a loosely written address in a report's fields.
 */

export interface AddressParts {
  readonly localPart: string;
  /** Everything after the last "@" as written (a name or an address literal); null when there is no "@". */
  readonly domain: string | null;
}

/**
 * RFC 5321 §4.1.2: Mailbox = Local-part "@" ( Domain / address-literal ). A local part holds "@" only inside a
 * quoted string and a domain never does, so the last "@" is the one that separates them.
 */
export function splitAddress(address: string): AddressParts {
  const at = address.lastIndexOf('@');
  return at < 0
    ? { localPart: address, domain: null }
    : { localPart: address.slice(0, at), domain: address.slice(at + 1) };
}

/**
 * The domain of an address as reports write it (`<user@Example.COM>`, `Name <user@x.com>`, `@example.com`, a bare
 * `example.com`), lower case and without a final dot; null when what is left is not a domain name.
 */
export function domainOfAddress(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const written = value.trim().replace(/^<|>$/g, '');
  const name = (splitAddress(written).domain ?? written)
    .replace(/[>\s].*$/, '')
    .toLowerCase()
    .replace(/\.$/, '');
  return /^(?:[a-z0-9_-]+\.)+[a-z0-9-]+$/.test(name) ? name : null;
}
