import type { DomainName } from '../domain-name/index.ts';
import {
  DEFAULT_MAX_AGE,
  mtaStsPolicyId,
  mtaStsPolicyText,
  mtaStsRecord,
  tlsRptRecord,
  type MtaStsMaxAge,
  type MtaStsSettings,
} from './mta-sts-policy.ts';
import { hostedSpfRecord } from './spf-budget.ts';
import type { SendingSettings } from './sending-settings.ts';

/**
 * The record plan (DESIGN.md): the records a customer creates in their own DNS, and the records senderd
 * hosts in the platform zone Z. Pure: everything it needs arrives as data.
 */

export type DomainMode = 'delegated' | 'self-hosted';

export type RecordData =
  | { readonly type: 'CNAME'; readonly target: string }
  | { readonly type: 'TXT'; readonly text: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly type: 'A'; readonly address: string }
  | { readonly type: 'AAAA'; readonly address: string };

export type RecordPurpose =
  | 'dkim'
  | 'dmarc'
  | 'bounce'
  | 'spf'
  | 'tracking'
  | 'bimi'
  | 'report-authorization'
  | 'mta-sts'
  | 'mta-sts-host'
  | 'tls-rpt';

export interface PlannedRecord {
  /** Owner name, fully qualified, lower case, no trailing dot. May contain underscores (`_dmarc`). */
  readonly name: string;
  readonly ttl: number;
  readonly data: RecordData;
  readonly purpose: RecordPurpose;
  readonly required: boolean;
  /** Why the record is there, in a sentence. */
  readonly note: string;
}

/** The platform's names, from config: `Z` and the hosts inside it. */
export interface PlatformNames {
  readonly zone: DomainName;
  readonly dkimSelectors: readonly string[];
  readonly mxHost: string;
  readonly trackHost: string;
  readonly reportsHost: string;
  readonly ttl: number;
  /** The platform's egress addresses: inlined into t.spf.Z when its lookup budget needs it (spf-budget.ts). */
  readonly egressIps?: readonly string[];
  /** max_age of MTA-STS policies by mode (RFC 8461 §3.2); default a day while testing, a week once enforced. */
  readonly mtaStsMaxAge?: MtaStsMaxAge;
}

/** A customer's own DKIM selector: kept untouched, or (with a key) hosted by senderd beside ours. */
export interface OwnDkimSelector {
  readonly selector: string;
  /** The full DKIM key record (`v=DKIM1; k=rsa; p=...`), when senderd should host it. */
  readonly record?: string;
}

export interface SenderDomainSettings {
  readonly mode: DomainMode;
  readonly bounceLabel: string;
  readonly clickLabel: string;
  readonly tracking: boolean;
  /** The customer's own SPF mechanisms (`ip4:192.0.2.0/24`, `include:_spf.google.com`), hosted in t.spf.Z. */
  readonly spfMechanisms: readonly string[];
  readonly ownDkimSelectors: readonly OwnDkimSelector[];
  /** Overrides the platform's three selectors for this domain; empty means the platform's. */
  readonly dkimSelectors: readonly string[];
  /** MTA-STS and TLS-RPT for the domain's inbound mail (RFC 8461, RFC 8460); absent or null while off. */
  readonly mtaSts?: MtaStsSettings | null;
  /** Click and open tracking, the bulk stream, Feedback-ID (sending-settings.ts); absent: all off. */
  readonly sending?: SendingSettings;
}

/** A DKIM key record as it is published right now under one of the domain's selectors. */
export interface PublishedDkimKey {
  readonly selector: string;
  /** The TXT value, `v=DKIM1; k=rsa; p=...` (an empty `p=` for a revoked key). */
  readonly record: string;
}

export interface PlanInput {
  readonly domain: DomainName;
  readonly token: string;
  readonly settings: SenderDomainSettings;
  readonly platform: PlatformNames;
  readonly dkimKeys: readonly PublishedDkimKey[];
  /** More selectors of senderd's own, beside the three (the Ed25519 series of RFC 8463 signing, when enabled). */
  readonly extraDkimSelectors?: readonly string[];
  /** The DMARC record to publish (the dmarc capability builds it from the policy). */
  readonly dmarcRecord: string;
  /** The BIMI record, once the policy allows BIMI and a logo is set. */
  readonly bimiRecord?: string;
}

export interface RecordPlan {
  readonly domain: DomainName;
  readonly token: string;
  readonly mode: DomainMode;
  /** What the customer creates in their own DNS, in the order they should do it. */
  readonly customer: readonly PlannedRecord[];
  /** What senderd serves in the platform zone for this domain. */
  readonly hosted: readonly PlannedRecord[];
  /** The customer's own DKIM selectors that stay as they are (nothing to create; checks leave them alone). */
  readonly keptSelectors: readonly string[];
}

/** The names inside Z that belong to one sender domain (DESIGN.md "Records senderd hosts"). */
export function hostedNames(token: string, zone: string) {
  return {
    dkim: (selector: string) => `${selector}.${token}.dkim.${zone}`,
    dmarc: `${token}.dmarc.${zone}`,
    bounce: `${token}.bounce.${zone}`,
    spf: `${token}.spf.${zone}`,
    bimi: `${token}.bimi.${zone}`,
    mtaSts: `${token}.mta-sts.${zone}`,
    tlsRpt: `${token}.tlsrpt.${zone}`,
    platformSpf: `spf.${zone}`,
  };
}

/** `_report._dmarc` external-destination authorisation name (RFC 7489 §7.1). */
export function reportAuthorizationName(domain: string, reportsHost: string): string {
  return `${domain}._report._dmarc.${reportsHost}`;
}

export function selectorsOf(input: Pick<PlanInput, 'settings' | 'platform'>): readonly string[] {
  return input.settings.dkimSelectors.length > 0
    ? input.settings.dkimSelectors
    : input.platform.dkimSelectors;
}

export function planRecords(input: PlanInput): RecordPlan {
  const { domain, token, settings, platform } = input;
  const z = hostedNames(token, platform.zone);
  const ttl = platform.ttl;
  const bounceHost = `${settings.bounceLabel}.${domain}`;
  const clickHost = `${settings.clickLabel}.${domain}`;
  const delegated = settings.mode === 'delegated';
  const rec = (
    name: string,
    data: RecordData,
    purpose: RecordPurpose,
    required: boolean,
    note: string,
  ): PlannedRecord => ({ name, ttl, data, purpose, required, note });

  const customer: PlannedRecord[] = [];
  const hosted: PlannedRecord[] = [];
  const keysBySelector = new Map(input.dkimKeys.map((k) => [k.selector, k.record]));

  // DKIM: three selectors, so that rotation never needs another DNS edit (delegated mode).
  const ownSelectors = selectorsOf(input);
  [...ownSelectors, ...(input.extraDkimSelectors ?? [])].forEach((selector, i) => {
    const which =
      i < ownSelectors.length
        ? `DKIM selector ${i + 1} of ${ownSelectors.length}`
        : `Ed25519 DKIM selector ${i - ownSelectors.length + 1} (RFC 8463)`;
    const record = keysBySelector.get(selector);
    if (record !== undefined) {
      hosted.push(
        rec(
          z.dkim(selector),
          { type: 'TXT', text: record },
          'dkim',
          true,
          `DKIM key for selector ${selector}.`,
        ),
      );
    }
    if (delegated) {
      customer.push(
        rec(
          `${selector}._domainkey.${domain}`,
          { type: 'CNAME', target: z.dkim(selector) },
          'dkim',
          true,
          `${which}: senderd publishes and rotates the key behind it.`,
        ),
      );
    } else if (record !== undefined) {
      customer.push(
        rec(
          `${selector}._domainkey.${domain}`,
          { type: 'TXT', text: record },
          'dkim',
          true,
          selfHostedKeyNote(selector, record),
        ),
      );
    }
  });
  for (const own of settings.ownDkimSelectors) {
    if (own.record === undefined) continue; // kept as the customer has it; nothing to create
    hosted.push(
      rec(
        z.dkim(own.selector),
        { type: 'TXT', text: own.record },
        'dkim',
        true,
        `Your own DKIM key, selector ${own.selector}.`,
      ),
    );
    if (delegated) {
      customer.push(
        rec(
          `${own.selector}._domainkey.${domain}`,
          { type: 'CNAME', target: z.dkim(own.selector) },
          'dkim',
          false,
          `Your own DKIM selector ${own.selector}, hosted by senderd. Replaces the TXT record you have there now.`,
        ),
      );
    }
  }

  // DMARC, hosted so that the rollout can step without DNS edits.
  const dmarcName = `_dmarc.${domain}`;
  if (delegated) {
    hosted.push(
      rec(
        z.dmarc,
        { type: 'TXT', text: input.dmarcRecord },
        'dmarc',
        true,
        'DMARC policy, stepped by senderd.',
      ),
    );
    customer.push(
      rec(
        dmarcName,
        { type: 'CNAME', target: z.dmarc },
        'dmarc',
        true,
        'DMARC policy, hosted by senderd so the rollout from none to reject needs no DNS edits.',
      ),
    );
  } else {
    customer.push(
      rec(
        dmarcName,
        { type: 'TXT', text: input.dmarcRecord },
        'dmarc',
        true,
        'DMARC policy. Self-hosted mode: update it when you step the rollout.',
      ),
    );
  }
  // RFC 7489 §7.1: rua goes to reports.Z, another domain, so that domain must authorise receiving for d.
  hosted.push(
    rec(
      reportAuthorizationName(domain, platform.reportsHost),
      { type: 'TXT', text: 'v=DMARC1' },
      'report-authorization',
      true,
      `Lets receivers send ${domain}'s DMARC reports to ${platform.reportsHost} (RFC 7489 §7.1).`,
    ),
  );

  // The bounce (return-path) host: envelope sender domain, aligned with d under relaxed SPF alignment.
  const bounceSpf = `v=spf1 include:${z.platformSpf} -all`;
  const mx = { type: 'MX', preference: 10, exchange: platform.mxHost } as const;
  if (delegated) {
    hosted.push(rec(z.bounce, mx, 'bounce', true, 'Bounces (DSNs) come back to senderd.'));
    hosted.push(
      rec(
        z.bounce,
        { type: 'TXT', text: bounceSpf },
        'bounce',
        true,
        'SPF of the envelope sender: only the platform sends with it.',
      ),
    );
    customer.push(
      rec(
        bounceHost,
        { type: 'CNAME', target: z.bounce },
        'bounce',
        true,
        'Return-path domain: bounces come back to senderd and SPF aligns with your domain (relaxed alignment).',
      ),
    );
  } else {
    customer.push(rec(bounceHost, mx, 'bounce', true, 'Return-path domain: bounces come back to senderd.'));
    customer.push(
      rec(
        bounceHost,
        { type: 'TXT', text: bounceSpf },
        'bounce',
        true,
        'SPF of the return-path domain: mail from the platform passes and aligns with your domain.',
      ),
    );
  }

  if (settings.tracking) {
    // No underscore in this name, so even DNS hosts that refuse underscored CNAMEs accept it.
    customer.push(
      rec(
        clickHost,
        { type: 'CNAME', target: platform.trackHost },
        'tracking',
        true,
        'Click and open tracking links use this host, so they carry your domain.',
      ),
    );
  }

  // SPF for the apex: only needed when mail with an envelope sender @domain leaves via senderd or your servers.
  hosted.push(
    rec(
      z.spf,
      { type: 'TXT', text: hostedSpfRecord(settings.spfMechanisms, z.platformSpf, platform.egressIps) },
      'spf',
      true,
      'The platform and your own servers, kept within the 10-lookup limit of RFC 7208 §4.6.4.',
    ),
  );
  customer.push(
    rec(
      domain,
      { type: 'TXT', text: `v=spf1 include:${z.spf} ~all` },
      'spf',
      false,
      'SPF for your domain itself. If a v=spf1 record exists, add include:' +
        z.spf +
        ' to it instead: a name may have only one SPF record (RFC 7208 §3.2).',
    ),
  );

  // BIMI: only meaningful once the DMARC policy is enforced (quarantine or reject without t=y).
  if (input.bimiRecord !== undefined) {
    const bimiName = `default._bimi.${domain}`;
    if (delegated) {
      hosted.push(rec(z.bimi, { type: 'TXT', text: input.bimiRecord }, 'bimi', false, 'BIMI logo record.'));
      customer.push(
        rec(
          bimiName,
          { type: 'CNAME', target: z.bimi },
          'bimi',
          false,
          'BIMI: your logo beside your mail, once DMARC is enforced.',
        ),
      );
    } else {
      customer.push(
        rec(
          bimiName,
          { type: 'TXT', text: input.bimiRecord },
          'bimi',
          false,
          'BIMI: your logo beside your mail, once DMARC is enforced.',
        ),
      );
    }
  }

  if (settings.mtaSts != null) {
    const sts = settings.mtaSts;
    const policy = mtaStsPolicyText(sts, platform.mtaStsMaxAge ?? DEFAULT_MAX_AGE);
    const txt = [
      {
        name: `_mta-sts.${domain}`,
        hostedName: z.mtaSts,
        text: mtaStsRecord(mtaStsPolicyId(policy)),
        purpose: 'mta-sts' as const,
        note: `MTA-STS (RFC 8461): tells senders to fetch the policy (mode ${sts.mode}) from mta-sts.${domain}; its id changes whenever the policy does.`,
      },
      {
        name: `_smtp._tls.${domain}`,
        hostedName: z.tlsRpt,
        text: tlsRptRecord(token, platform.reportsHost),
        purpose: 'tls-rpt' as const,
        note: `SMTP TLS reports (RFC 8460) about mail to your MX hosts come to ${platform.reportsHost}: the evidence for enforcing MTA-STS.`,
      },
    ];
    for (const t of txt) {
      if (delegated) {
        hosted.push(rec(t.hostedName, { type: 'TXT', text: t.text }, t.purpose, true, t.note));
        customer.push(rec(t.name, { type: 'CNAME', target: t.hostedName }, t.purpose, true, t.note));
      } else customer.push(rec(t.name, { type: 'TXT', text: t.text }, t.purpose, true, t.note));
    }
    // RFC 8461 §3.3: the policy is served over HTTPS at this host; the edge gets its certificate once it points there.
    customer.push(
      rec(
        `mta-sts.${domain}`,
        { type: 'CNAME', target: platform.trackHost },
        'mta-sts-host',
        true,
        'MTA-STS policy host: senderd serves the policy here over HTTPS, with a certificate of its own.',
      ),
    );
  }

  const keptSelectors = settings.ownDkimSelectors
    .filter((o) => o.record === undefined)
    .map((o) => o.selector);
  return { domain, token, mode: settings.mode, customer, hosted, keptSelectors };
}

/** RFC 6376 §3.6.1: an empty p= means the key has been revoked; verifiers then fail its signatures at once. */
function selfHostedKeyNote(selector: string, record: string): string {
  return /(^|;)\s*p=\s*(;|$)/.test(record)
    ? `Revoked key for selector ${selector} (empty p=, RFC 6376 §3.6.1). Keep it until senderd says the selector is free.`
    : `DKIM key for selector ${selector}. Self-hosted mode: replace it when senderd announces a rotation.`;
}

/** The DMARC record a new domain starts with: monitoring only, reports to the platform (step 0 of the ladder). */
export function initialDmarcRecord(token: string, reportsHost: string): string {
  return `v=DMARC1; p=none; rua=mailto:${token}@${reportsHost}`;
}
