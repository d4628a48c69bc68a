import { z } from 'zod';
import { normaliseDomainName } from '../domain-name/index.ts';
import { domainName, label } from './schema-fields.ts';

/** `platform`: the platform zone, its hosts and the labels every sender domain gets. */
export const platformSection = z
  .strictObject({
    zone: domainName
      .default('mail.example.net')
      .describe('The platform zone Z, delegated to senderd by NS records. Hosted records live under it.'),
    nameservers: z
      .array(
        z.string().superRefine((value, ctx) => {
          // Relative to the zone, or absolute with a trailing dot (zone-file convention).
          const parsed = normaliseDomainName(value.endsWith('.') ? value : `${value}.invalid`);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
        }),
      )
      .min(1)
      .default(['ns1', 'ns2'])
      .describe('NS names of the zone: relative to the zone, or absolute with a trailing dot.'),
    hostAddresses: z
      .record(z.string(), z.array(z.ipv4().or(z.ipv6())))
      .default({ ns1: ['127.0.0.1'], ns2: ['127.0.0.1'], mx: ['127.0.0.1'], track: ['127.0.0.1'] })
      .describe('A/AAAA records of platform hosts inside the zone, by label (ns1, mx, track, ...).'),
    egressIps: z
      .array(z.ipv4().or(z.cidrv4()).or(z.ipv6()).or(z.cidrv6()))
      .default(['127.0.0.1'])
      .describe(
        'Addresses (or CIDR ranges) the platform sends mail from. Published in the spf.<zone> record.',
      ),
    mxLabel: label
      .default('mx')
      .describe('Label of the inbound mail host (mx.<zone>): MX of bounce and report hosts.'),
    trackLabel: label.default('track').describe('Label of the click/open tracking host (track.<zone>).'),
    reportsLabel: label
      .default('reports')
      .describe('Label of the DMARC report host (reports.<zone>); rua addresses are <token>@reports.<zone>.'),
    dkimSelectors: z
      .array(label)
      .length(3)
      .refine((selectors) => new Set(selectors).size === selectors.length, 'the selectors must differ')
      .default(['sd1', 'sd2', 'sd3'])
      .describe('The three DKIM selectors every sender domain gets, so rotation never needs a DNS edit.'),
    bounceLabel: label
      .default('bounce')
      .describe("Default label of a sender domain's bounce (return-path) host."),
    clickLabel: label.default('clicks').describe("Default label of a sender domain's click-tracking host."),
    ttl: z
      .number()
      .int()
      .min(60)
      .max(86400)
      .default(3600)
      .describe('TTL of the records in the plan and in the zone, in seconds.'),
  })
  .prefault({});
