/** Vite bundles CSS imported for its side effect. */
declare module '*.css';

/** punycode.js (RFC 3492) ships no types; the dashboard uses only this function of it. */
declare module 'punycode.js' {
  /** A domain name with its A-labels (xn--…) turned into U-labels; other labels are left as they are. */
  export function toUnicode(domain: string): string;
}
