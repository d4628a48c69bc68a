/**
 * The catalogue of named senders: services that send mail as their customers' domains (mailbox providers, ESPs,
 * CRMs, ticketing and invoicing tools), shipped as data in catalogue.json so that adding one is a pull request of
 * a few lines (docs/named-senders.md). It is parsed once, here, with a schema that also refuses what would make
 * identification wrong: upper-case or dotted-at-the-end names, two services with one id, a source that is not
 * https.
 */
import { z } from 'zod';
import data from './catalogue.json' with { type: 'json' };

export const SENDER_CATEGORIES = [
  'mailbox',
  'esp',
  'marketing',
  'crm',
  'ticketing',
  'invoicing',
  'commerce',
] as const;
export type SenderCategory = (typeof SENDER_CATEGORIES)[number];

/** A domain name in the form reports carry after normalisation: lower case, A-labels, no trailing dot. */
const domainName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
    'a lower-case domain name',
  );

/** A selector pattern: labels of letters, digits, `-` and `_`, with `*` for any run of characters. */
const selectorPattern = z.string().regex(/^[a-z0-9_*-]+(\.[a-z0-9_*-]+)*$/, 'a lower-case selector pattern');

/** A record the customer publishes: a name under their domain, and a value with placeholders (see file comment). */
const setupRecord = z.object({ name: z.string().min(1), value: z.string().min(1) }).strict();

const serviceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id'),
    name: z.string().min(1),
    category: z.enum(SENDER_CATEGORIES),
    /** The service's public documentation the identification was written from. */
    source: z.url({ protocol: /^https$/ }),
    spf: z
      .object({
        /** What the customer adds to their SPF record as `include:` (may hold an account placeholder <...>). */
        includes: z.array(z.string().regex(/^[a-z0-9_.<>-]+$/, 'an include target')),
        /** The service's own envelope (MAIL FROM) domains, as reports name them in the SPF result. */
        envelopeDomains: z.array(domainName),
      })
      .strict(),
    dkim: z
      .object({
        /** The service's own `d=` domains: a signature by one of them, or a subdomain, names the service. */
        signingDomains: z.array(domainName),
        /** Selectors the service uses when it signs as the customer's domain. */
        selectors: z.array(selectorPattern),
        /** How the customer lets the service sign as their domain, or null when it cannot be set up by record. */
        setup: z
          .object({
            type: z.enum(['cname', 'txt']),
            records: z.array(setupRecord).min(1),
            where: z.string().min(1),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    /** Suffixes of the service's forward-confirmed reverse names. */
    ptr: z.array(domainName),
    /** Fields (`dkim.selectors`, `ptr`, ...) written from our reading, not checked against the documentation. */
    unsure: z.array(
      z.enum([
        'source',
        'spf.includes',
        'spf.envelopeDomains',
        'dkim.signingDomains',
        'dkim.selectors',
        'dkim.setup',
        'ptr',
      ]),
    ),
    note: z.string().min(1).optional(),
  })
  .strict();

export const catalogueSchema = z
  .object({
    about: z.string(),
    services: z.array(serviceSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.services.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['services', i, 'id'], message: 'listed twice' });
      seen.add(s.id);
      const evidence = s.dkim.signingDomains.length + s.dkim.selectors.length + s.ptr.length;
      const envelope = s.spf.envelopeDomains.length;
      if (evidence + envelope === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i],
          message:
            'names no evidence to identify it by (signing domains, selectors, envelope domains or PTR)',
        });
      }
    });
  });

export type SenderService = z.infer<typeof serviceSchema>;
export type SenderCatalogue = readonly SenderService[];

/** Parses a catalogue document; a broken one is a bug in the shipped data (or a test's own), so it throws. */
export function parseCatalogue(document: unknown): SenderCatalogue {
  return catalogueSchema.parse(document).services;
}

let shipped: SenderCatalogue | null = null;

/** The catalogue shipped in catalogue.json, parsed on first use. */
export function shippedCatalogue(): SenderCatalogue {
  shipped ??= parseCatalogue(data);
  return shipped;
}

/** `name` is `domain` or below it (label boundary: "notsendgrid.net" is not under "sendgrid.net"). */
export function isAtOrBelow(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

const selectorPatterns = new Map<string, RegExp>();

/** A selector pattern's `*` matches any run of characters; everything else literally. */
export function matchesSelector(selector: string, pattern: string): boolean {
  if (!pattern.includes('*')) return selector === pattern;
  let re = selectorPatterns.get(pattern);
  if (re === undefined) {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    re = new RegExp(`^${escaped}$`);
    // Patterns come from the catalogue: a few dozen, compiled once each.
    selectorPatterns.set(pattern, re);
  }
  return re.test(selector);
}
