import { MAX_LABEL, MAX_NAME_WIRE } from './wire-codes.ts';

/**
 * Domain names on the wire (RFC 1035 §3.1, §4.1.4). Zone names are kept as lower-case dotted text without the
 * trailing dot; the lookup key of a name is its uncompressed wire form with ASCII letters folded to lower case
 * (RFC 4343 §3: only A–Z fold), held as a latin1 string so it can key a Map and be built from a packet directly.
 */

/** The labels of a dotted name; the root (`''`) has none. */
export function labelsOf(name: string): string[] {
  return name === '' ? [] : name.split('.');
}

/** Uncompressed wire form of a dotted name. Throws on a label over 63 octets or a name over 255. */
export function nameToWire(name: string): Buffer {
  const labels = labelsOf(name);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > MAX_LABEL) throw new Error(`bad label in ${name}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > MAX_NAME_WIRE) throw new Error(`name too long: ${name}`);
  return wire;
}

/** The lookup key of a dotted name (see the file comment). Zone names are ASCII; labels are not checked here. */
export function nameKey(name: string): string {
  let key = '';
  for (const label of labelsOf(name.toLowerCase())) key += String.fromCharCode(label.length) + label;
  return key + '\0';
}

/** Lower-cases the ASCII letters of a wire name in place (RFC 4343 §3). */
export function foldWire(wire: Buffer): Buffer {
  for (let i = 0; i < wire.length; i++) {
    const c = wire[i]!;
    if (c >= 0x41 && c <= 0x5a) wire[i] = c | 0x20;
  }
  return wire;
}

/** Dotted text of a key made by `nameKey` or read from a packet (labels are plain bytes). */
export function keyToName(key: string): string {
  const labels: string[] = [];
  let i = 0;
  while (i < key.length) {
    const length = key.charCodeAt(i);
    if (length === 0) break;
    labels.push(key.slice(i + 1, i + 1 + length));
    i += 1 + length;
  }
  return labels.join('.');
}

/** True when `name` is `apex` or below it; both lower-case dotted names. */
export function isAtOrBelow(name: string, apex: string): boolean {
  return apex === '' || name === apex || name.endsWith(`.${apex}`);
}

/** The names strictly between `name` and `apex`, nearest to `apex` last: `a.b.z` under `z` → [`b.z`]. */
export function ancestorsBelow(name: string, apex: string): string[] {
  const out: string[] = [];
  let here = name;
  while (here !== apex) {
    const dot = here.indexOf('.');
    if (dot < 0) break;
    here = here.slice(dot + 1);
    if (here !== apex) out.push(here);
  }
  return out;
}

/** Presentation form of one label read from a packet: `.`, `\` and non-printables escaped (RFC 1035 §5.1). */
function presentLabel(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x2e || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c <= 0x20 || c >= 0x7f) out += `\\${String(c).padStart(3, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out;
}

export interface ReadName {
  /** Presentation form, original case, no trailing dot (`''` for the root). */
  readonly name: string;
  /** Offset just after the name where it started (after the first pointer, if compressed). */
  readonly end: number;
}

/**
 * Reads a possibly compressed name. Hardened: a pointer must point strictly backwards, before the label that
 * holds it (so no loop can form, RFC 9267 §2), the total stays within 255 octets, and label types 01/10
 * (RFC 6891 §5, obsolete) are refused. Returns null when the name is malformed or runs past the message.
 */
export function readName(buf: Uint8Array, offset: number): ReadName | null {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  let wireLength = 1;
  let lowest = offset; // every pointer must go below the lowest position read so far
  for (;;) {
    if (pos >= buf.length) return null;
    const length = buf[pos]!;
    if (length === 0) {
      if (end < 0) end = pos + 1;
      return { name: labels.join('.'), end };
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) return null;
      const target = ((length & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= lowest) return null;
      if (end < 0) end = pos + 2;
      lowest = target;
      pos = target;
      continue;
    }
    if (kind !== 0) return null;
    wireLength += length + 1;
    if (wireLength > MAX_NAME_WIRE || pos + 1 + length > buf.length) return null;
    labels.push(presentLabel(buf, pos + 1, pos + 1 + length));
    pos += 1 + length;
  }
}
