import { toUnicode } from 'punycode.js';

/**
 * Domain names come from the API in A-labels (`xn--bcher-kva.example`, normalised once at the server's
 * boundary); people read U-labels (`bücher.example`). The dashboard shows the U-label and keeps the A-label in
 * sight, beside it and on hover, because that is what goes into DNS and what a look-alike letter cannot hide
 * (RFC 5890 §2.3.2.1 defines the two forms).
 */
export function uLabel(name: string): string {
  if (!name.includes('xn--')) return name;
  try {
    return toUnicode(name);
  } catch {
    // An undecodable xn-- label is shown as it is.
    return name;
  }
}

/** A domain name for people: the U-label, and the A-label beside it (and as its title) when they differ. */
export function DomainLabel({ name }: { name: string }) {
  const unicode = uLabel(name);
  if (unicode === name) return <>{name}</>;
  return (
    <>
      <span title={name}>{unicode}</span> <span className="a-label">({name})</span>
    </>
  );
}
