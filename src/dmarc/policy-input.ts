import { z } from 'zod';
import { LAST_STEP } from './ladder.ts';

const disposition = z.enum(['none', 'quarantine', 'reject']);
const ratio = z.number().min(0).max(1);

/**
 * A report address: a `mailto:` URI or a bare address. RFC 7489 §6.4 allows a size limit after it (`!10m`), but
 * receivers and checkers often read the suffix as part of the domain and lose the reports, and the platform's own
 * address carries none. A size limit is refused with that reason, rather than published or silently dropped.
 */
const reportUri = z
  .string()
  .trim()
  .refine((uri) => !/![0-9]+[kmgt]?$/i.test(uri), {
    message:
      'a size limit (!10m) is not published, since many receivers misread it as part of the address; give the address alone',
  })
  .regex(/^(mailto:)?[^\s@,;!]+@[^\s@,;!]+\.[^\s@,;!]+$/i, 'must be an e-mail address or mailto: URI');

const httpsUrl = z
  .string()
  .trim()
  .regex(/^https:\/\/[^\s;]+$/, 'must be an https:// URL');

export const dmarcPolicyInput = z.strictObject({
  sp: disposition.nullable().optional().describe('Policy for existing subdomains; null to follow p.'),
  np: disposition
    .nullable()
    .optional()
    .describe('Policy for non-existent subdomains (RFC 9989); null to leave out.'),
  adkim: z.enum(['r', 's']).optional().describe('DKIM alignment: relaxed or strict.'),
  aspf: z.enum(['r', 's']).optional().describe('SPF alignment: relaxed or strict.'),
  fo: z.enum(['0', '1', 'd', 's']).optional().describe('Failure reporting options (with ruf).'),
  extraRua: z
    .array(reportUri)
    .max(5)
    .optional()
    .describe('Third-party aggregate report addresses; each must authorise receiving.'),
  ruf: z
    .array(reportUri)
    .max(5)
    .optional()
    .describe('Failure report addresses: only on request, they carry personal data.'),
  bimi: z
    .strictObject({
      location: httpsUrl.describe('SVG Tiny PS logo.'),
      authority: httpsUrl.optional().describe('VMC/CMC certificate.'),
    })
    .nullable()
    .optional()
    .describe('BIMI logo; published only while the policy is enforced.'),
  autopilot: z
    .strictObject({
      enabled: z.boolean().optional(),
      windowDays: z.number().int().min(1).max(60).optional(),
      minPlatformPass: ratio.optional(),
      minCompliantShare: ratio.optional(),
      minMessages: z.number().int().min(0).optional(),
      minReporters: z.number().int().min(0).optional(),
      maxUnknownShare: ratio.optional(),
      targetStep: z.number().int().min(0).max(LAST_STEP).optional(),
      rollbackDays: z.number().int().min(1).max(14).optional(),
    })
    .optional(),
  schedule: z
    .array(
      z.strictObject({ at: z.iso.datetime({ offset: true }), step: z.number().int().min(0).max(LAST_STEP) }),
    )
    .max(30)
    .optional()
    .describe('Dated steps: on each date, the ladder is set to that step.'),
});

export type DmarcPolicyInput = z.infer<typeof dmarcPolicyInput>;
