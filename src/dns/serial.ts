/**
 * SOA serial numbers in RFC 1982 serial number arithmetic (SERIAL_BITS = 32): they wrap, and "greater"
 * means "ahead by less than 2^31". A new serial is the current Unix time when that is ahead of the last one
 * (as Knot's unixtime policy does), otherwise the last one plus 1, so it always rises however the clock moves.
 */
const HALF = 2 ** 31;
const MODULUS = 2 ** 32;

/** RFC 1982 §3.2: `a` is greater than `b`. */
export function serialGreater(a: number, b: number): boolean {
  return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}

/** RFC 1982 §3.1: adds `n` (0 ≤ n < 2^31) modulo 2^32. */
export function serialAdd(serial: number, n: number): number {
  return (serial + n) % MODULUS;
}

/** The serial that follows `last` at time `now` (see the file comment); `null` for the first ever. */
export function nextSerial(last: number | null, now: Date): number {
  const unix = Math.floor(now.getTime() / 1000) % MODULUS;
  if (last === null) return unix;
  return serialGreater(unix, last) ? unix : serialAdd(last, 1);
}
