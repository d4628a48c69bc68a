import { z } from 'zod';
import type { SenderDomainSettings } from './record-plan.ts';
import { parseSpfRecord } from '../spf/index.ts';
import { countLookupTerms, CUSTOMER_LOOKUP_LIMIT } from './spf-budget.ts';
import { applySending, DEFAULT_SENDING, isDefaultSending, sendingSettingsInput } from './sending-settings.ts';

/**
 * Per-domain settings as the API and CLI accept them. Every field is optional on input; a missing field keeps
 * its current value (or the platform default for a new domain).
 */
const label = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be one DNS label: a-z, 0-9 and inner hyphens');

/** RFC 6376 §3.1: a selector is a sub-domain (dot-separated labels); we also keep them to LDH. */
const selector = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i,
    'must be a DKIM selector like s1 or 2024.mail',
  )
  .transform((s) => s.toLowerCase());

/**
 * RFC 7208 §5 mechanisms a customer may add to the hosted SPF, each parsed by the SPF evaluator's own parser (so an
 * `ip6:` that is no address, or a broken macro, is refused here rather than turning the customer's whole SPF into a
 * permerror, RFC 7208 §4.6). `all`, `redirect` and `exp` belong to the record senderd builds, and `ptr` is not
 * allowed (§5.5: "SHOULD NOT be used").
 *
 * The record is hosted at the platform's name and reached by `include:`, and inside an include <domain> is the
 * include's target (§5.2). So a bare `a` or `mx`, or a `%{d}` macro, would name the platform's host, not the
 * customer's: those are refused with the spelling that works.
 */
const ALLOWED_MECHANISMS = new Set(['ip4', 'ip6', 'a', 'mx', 'include', 'exists']);

function spfMechanismProblem(term: string): string | null {
  const parsed = parseSpfRecord(`v=spf1 ${term}`);
  if (!parsed.ok) return `is not a valid SPF mechanism: ${parsed.error}`;
  const { directives, redirect, exp, unknownModifiers } = parsed.value;
  if (redirect !== null || exp !== null || unknownModifiers.length > 0 || directives.length !== 1) {
    return 'must be one SPF mechanism: ip4:, ip6:, a:, mx:, include: or exists: (RFC 7208 §5)';
  }
  const m = directives[0]!.mechanism;
  if (!ALLOWED_MECHANISMS.has(m.kind)) {
    return `${m.kind} is not allowed here: use ip4:, ip6:, a:, mx:, include: or exists: (RFC 7208 §5)`;
  }
  if ((m.kind === 'a' || m.kind === 'mx') && m.domainSpec === null) {
    return `needs its domain (${m.kind}:example.com): a bare ${m.kind} inside the hosted record would mean the platform's host, not yours (RFC 7208 §5.2)`;
  }
  if ('domainSpec' in m && m.domainSpec !== null && /%\{d/i.test(m.domainSpec)) {
    return "uses %{d}, which inside the hosted record expands to the platform's host, not your domain (RFC 7208 §5.2, §7.3); write the domain out";
  }
  return null;
}

export const spfMechanism = z
  .string()
  .trim()
  .superRefine((term, ctx) => {
    const problem = spfMechanismProblem(term);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `"${term}" ${problem}` });
  });

// The record's DKIM syntax is dkim's rule (the service is given its check, as domains cannot import dkim); the
// schema keeps a record that goes into the zone as one line of printable ASCII.
const dkimRecord = z
  .string()
  .trim()
  .refine((r) => !/[^\x20-\x7e]/.test(r), {
    message: 'must be a DKIM key record in printable ASCII, such as "v=DKIM1; k=rsa; p=MIIB..."',
  });

export const domainSettingsInput = z.strictObject({
  mode: z
    .enum(['delegated', 'self-hosted'])
    .optional()
    .describe('delegated (CNAMEs into the platform zone) or self-hosted (literal records).'),
  bounceLabel: label.optional().describe('Label of the bounce (return-path) host under the domain.'),
  clickLabel: label.optional().describe('Label of the click-tracking host under the domain.'),
  tracking: z
    .boolean()
    .optional()
    .describe(
      'Plan the click host (clicks.<domain>): the host of click and open tracking and of one-click unsubscribe URLs.',
    ),
  sending: sendingSettingsInput
    .optional()
    .describe(
      'What the gateway adds to outgoing mail: click and open tracking, the bulk stream (RFC 8058 List-Unsubscribe), Feedback-ID. All off by default.',
    ),
  spfMechanisms: z
    .array(spfMechanism)
    .max(20)
    .optional()
    .describe('Your own senders, added to the hosted SPF record.'),
  dkimSelectors: z
    .array(selector)
    .length(3)
    .optional()
    .describe('Three selectors instead of the platform defaults.'),
  ownDkimSelectors: z
    .array(z.strictObject({ selector, record: dkimRecord.optional() }))
    .max(10)
    .optional()
    .describe('Your own DKIM selectors: kept untouched, or hosted by senderd when a record is given.'),
});

export type DomainSettingsInput = z.infer<typeof domainSettingsInput>;

/**
 * Applies an input over current settings and checks the rules that span fields. `keyRecordProblem` judges each
 * own DKIM record given (dkim's key-record rules); records already stored are not judged again.
 */
export function applySettings(
  current: SenderDomainSettings,
  input: DomainSettingsInput,
  platformSelectors: readonly string[],
  keyRecordProblem: (record: string) => string | null = () => null,
): { settings: SenderDomainSettings; problems: Array<{ path: string; message: string }> } {
  const settings: SenderDomainSettings = {
    mode: input.mode ?? current.mode,
    bounceLabel: input.bounceLabel ?? current.bounceLabel,
    clickLabel: input.clickLabel ?? current.clickLabel,
    tracking: input.tracking ?? current.tracking,
    spfMechanisms: input.spfMechanisms ?? current.spfMechanisms,
    dkimSelectors: input.dkimSelectors ?? current.dkimSelectors,
    ownDkimSelectors: (input.ownDkimSelectors ?? current.ownDkimSelectors).map((o) =>
      o.record === undefined ? { selector: o.selector } : { selector: o.selector, record: o.record },
    ),
    // MTA-STS changes only through its own commands, which check the MX hosts and the TLS reports first.
    mtaSts: current.mtaSts ?? null,
    ...sendingOf(current, input),
  };
  const problems: Array<{ path: string; message: string }> = [];
  const sending = settings.sending ?? DEFAULT_SENDING;
  if (!settings.tracking && (sending.clicks || sending.opens || sending.bulk)) {
    problems.push({
      path: 'sending',
      message:
        'click and open tracking and the one-click unsubscribe URL need the click host: turn tracking on as well',
    });
  }
  if (settings.bounceLabel === settings.clickLabel) {
    problems.push({ path: 'clickLabel', message: 'the bounce and click hosts need different labels' });
  }
  const ours = settings.dkimSelectors.length > 0 ? settings.dkimSelectors : platformSelectors;
  if (new Set(ours).size !== ours.length) {
    problems.push({ path: 'dkimSelectors', message: 'the three selectors must differ' });
  }
  const seen = new Set<string>();
  settings.ownDkimSelectors.forEach((own, i) => {
    if (ours.includes(own.selector)) {
      problems.push({
        path: `ownDkimSelectors.${i}.selector`,
        message: `${own.selector} is one of senderd's own selectors`,
      });
    }
    if (seen.has(own.selector))
      problems.push({ path: `ownDkimSelectors.${i}.selector`, message: 'listed twice' });
    seen.add(own.selector);
  });
  input.ownDkimSelectors?.forEach((own, i) => {
    const problem = own.record === undefined ? null : keyRecordProblem(own.record);
    if (problem !== null) problems.push({ path: `ownDkimSelectors.${i}.record`, message: problem });
  });
  const mechanisms = new Set(settings.spfMechanisms.map((m) => m.toLowerCase()));
  if (mechanisms.size !== settings.spfMechanisms.length) {
    problems.push({ path: 'spfMechanisms', message: 'a mechanism is listed twice' });
  }
  const lookups = countLookupTerms(settings.spfMechanisms);
  if (lookups > CUSTOMER_LOOKUP_LIMIT) {
    problems.push({
      path: 'spfMechanisms',
      message: `${lookups} mechanisms need DNS lookups (include, a, mx, exists); at most ${CUSTOMER_LOOKUP_LIMIT} fit: RFC 7208 §4.6.4 allows 10 per check and your domain's own record spends one on the include of senderd's record`,
    });
  }
  return { settings, problems };
}

/** The sending settings after the input; a domain with everything off carries none (it reads back as written). */
function sendingOf(
  current: SenderDomainSettings,
  input: DomainSettingsInput,
): Pick<SenderDomainSettings, 'sending'> {
  const sending = applySending(current.sending ?? DEFAULT_SENDING, input.sending);
  return isDefaultSending(sending) ? {} : { sending };
}
