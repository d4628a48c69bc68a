/**
 * The one home of domain-name syntax (RFC 1035 §2.3.4 lengths, RFC 952/1123 host labels, IDNA per UTS #46 and
 * RFC 5890): what a person types becomes a `DomainName` here, once, at the boundary. It knows no capability, so
 * every folder (config, mail parsing, the gateway, domains) can ask it.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { err, ok, type Result } from '../core/index.ts';

/**
 * A domain name normalised once at the boundary: lower-case A-labels (IDNA/UTS #46), no trailing dot,
 * labels of 1–63 octets, at most 253 characters. Only `normaliseDomainName` makes one.
 */
export type DomainName = string & { readonly __brand: 'DomainName' };

/** Why a text is not a domain name (syntax only; src/domains adds why a name cannot be a sender domain). */
export type DomainNameProblem =
  | 'empty'
  | 'url'
  | 'whitespace'
  | 'ip_address'
  | 'wildcard'
  | 'empty_label'
  | 'label_too_long'
  | 'name_too_long'
  | 'bad_character'
  | 'bad_hyphen'
  | 'idna'
  | 'numeric_tld';

/** A rejected name: the problem as data, and a sentence for the person who typed it. */
export interface DomainNameRejection<P extends string = DomainNameProblem> {
  readonly problem: P;
  /** A sentence for the person who typed the name, saying why and what to do. */
  readonly message: string;
}

const MAX_NAME = 253; // RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters in text form.
const MAX_LABEL = 63; // RFC 1035 §2.3.4

function reject(problem: DomainNameProblem, message: string): Result<never, DomainNameRejection> {
  return err({ problem, message });
}

/**
 * Syntax only: turns what a person typed into a `DomainName`, or says exactly what is wrong with it.
 * Outer whitespace and one trailing dot (an absolute name) are accepted and removed; Unicode is converted to
 * A-labels and upper case to lower case.
 */
export function normaliseDomainName(input: string): Result<DomainName, DomainNameRejection> {
  const trimmed = input.trim();
  if (trimmed === '') return reject('empty', 'The domain name is empty.');
  const bare = trimmed.replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}\.?$/.test(bare) || (bare.includes(':') && /^[0-9a-f:.]+$/i.test(bare))) {
    return reject('ip_address', `"${trimmed}" is an IP address, not a domain name.`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /[/?#@:]/.test(trimmed)) {
    const hint = /[@]/.test(trimmed) ? 'an e-mail address' : 'a URL or host:port';
    return reject('url', `"${input}" looks like ${hint}; enter only the domain name, such as example.com.`);
  }
  if (/\s/.test(trimmed)) return reject('whitespace', 'A domain name cannot contain spaces.');
  const absolute = trimmed.endsWith('.') && !trimmed.endsWith('..') ? trimmed.slice(0, -1) : trimmed;
  const rawLabels = absolute.split('.');
  if (rawLabels.some((l) => l === '*')) {
    return reject('wildcard', 'Wildcards (*) are not allowed: add each sender domain by its own name.');
  }
  if (rawLabels.some((l) => l === '')) {
    return reject('empty_label', `"${trimmed}" has an empty label (two dots in a row, or a leading dot).`);
  }
  // RFC 3696 §2: a top-level domain is never all-numeric. (Checked before IDNA, which reads such names as IPv4.)
  if (/^[0-9]+$/.test(rawLabels[rawLabels.length - 1] ?? '')) {
    return reject('numeric_tld', `"${trimmed}" ends in a numeric label, which no top-level domain is.`);
  }
  // IDNA (UTS #46, non-transitional, as WHATWG URL does): maps case and compatibility forms, makes A-labels.
  const ascii = domainToASCII(absolute);
  if (ascii === '') {
    return reject('idna', `"${trimmed}" is not a valid internationalised domain name.`);
  }
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '') return reject('empty_label', `"${trimmed}" has an empty label after conversion.`);
    if (label.length > MAX_LABEL) {
      return reject(
        'label_too_long',
        `The label "${label.slice(0, 20)}…" is ${label.length} characters; a DNS label has at most ${MAX_LABEL} (RFC 1035 §2.3.4).`,
      );
    }
    // An A-label must decode, and re-encode to itself (RFC 5890 §2.3.2.1); Node passes bad Punycode through as-is.
    if (label.startsWith('xn--')) {
      const unicode = domainToUnicode(label);
      if (unicode === label || domainToASCII(unicode) !== label) {
        return reject(
          'idna',
          `The label "${label}" is not valid Punycode, so it is not a valid internationalised name.`,
        );
      }
    }
    if (label.includes('_')) {
      return reject('bad_character', `The label "${label}" contains "_", which a mail domain cannot have.`);
    }
    if (!/^[a-z0-9-]+$/.test(label)) {
      return reject(
        'bad_character',
        `The label "${label}" contains a character that a domain name cannot have.`,
      );
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return reject(
        'bad_hyphen',
        `The label "${label}" starts or ends with a hyphen (RFC 952, RFC 1123 §2.1).`,
      );
    }
    // RFC 5891 §4.2.3.1: "--" in positions 3–4 is reserved for A-labels ("xn--"), which IDNA already checked.
    if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
      return reject(
        'bad_hyphen',
        `The label "${label}" has "--" in positions 3 and 4, which is reserved for IDNA.`,
      );
    }
  }
  if (ascii.length > MAX_NAME) {
    return reject(
      'name_too_long',
      `The name is ${ascii.length} characters; a domain name has at most ${MAX_NAME} (RFC 1035 §2.3.4).`,
    );
  }
  return ok(ascii as DomainName);
}
