/**
 * Dates in header fields (RFC 5322 §3.3 date-time): written in UTC the one way every reader takes, and read
 * leniently from what others write (comments such as "(UTC)" dropped, the obsolete zone names of §4.3 taken).
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Tue, 03 Nov 2026 10:00:00 +0000`. */
export function formatDateTime(at: Date): string {
  return (
    `${DAYS[at.getUTCDay()]}, ${two(at.getUTCDate())} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ` +
    `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`
  );
}

/** The instant a date-time names, or null when it names none. */
export function parseDateTime(value: string): Date | null {
  const ms = Date.parse(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isFinite(ms) ? new Date(ms) : null;
}
