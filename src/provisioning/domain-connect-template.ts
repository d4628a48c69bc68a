import type { RecordPlan } from '../domains/index.ts';

/**
 * The platform's Domain Connect template (draft-ietf-dconn-domainconnect-03 §6.1, §6.2): the records a sender
 * domain needs, relative to the scope `[host.]domain` of the apply request (§6.3.1, §9.3), with the domain's token
 * as the one variable (`%token%`, §6.3.3: the variable part kept as small as possible). The SPF include goes in as
 * an SPFM record, which the DNS provider merges into the customer's SPF record (§9.4) instead of adding a second.
 * The template is the same for every domain whose records follow the platform's defaults; a domain whose plan
 * renders to other records (its own labels, self-hosted DKIM) is not offered Domain Connect.
 */
export interface DomainConnectTemplate {
  readonly providerId: string;
  readonly providerName: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly version: number;
  readonly description: string;
  readonly variableDescription: string;
  readonly syncBlock: boolean;
  /** Where the signing key's TXT records are (§6.4): the platform zone. */
  readonly syncPubKeyDomain: string;
  readonly hostRequired: boolean;
  readonly warnPhishing: boolean;
  readonly records: readonly TemplateRecord[];
}

export type TemplateRecord =
  | { readonly type: 'CNAME'; readonly host: string; readonly pointsTo: string; readonly ttl: number }
  | { readonly type: 'TXT'; readonly host: string; readonly data: string; readonly ttl: number }
  | {
      readonly type: 'MX';
      readonly host: string;
      readonly pointsTo: string;
      readonly priority: number;
      readonly ttl: number;
    }
  | { readonly type: 'SPFM'; readonly host: string; readonly spfRules: string };

/** The key label of the platform's signing key under syncPubKeyDomain (§6.4, the `key` apply parameter). */
export const DC_KEY_LABEL = '_dcpubkeyv1';
export const DC_SERVICE_ID = 'mail';

/** The template records of a plan: names relative to the domain, the token as `%token%`. */
export function templateRecords(plan: RecordPlan): TemplateRecord[] {
  const relative = (name: string) => (name === plan.domain ? '@' : name.slice(0, -(plan.domain.length + 1)));
  const variable = (text: string) => text.split(plan.token).join('%token%');
  return plan.customer.map((r): TemplateRecord => {
    const host = relative(r.name);
    switch (r.data.type) {
      case 'CNAME':
        return { type: 'CNAME', host, pointsTo: `${variable(r.data.target)}.`, ttl: r.ttl };
      case 'MX':
        return {
          type: 'MX',
          host,
          pointsTo: `${variable(r.data.exchange)}.`,
          priority: r.data.preference,
          ttl: r.ttl,
        };
      case 'TXT': {
        const spf = /^v=spf1\s+(.*?)\s*[~?-]all$/i.exec(r.data.text);
        if (spf !== null) return { type: 'SPFM', host, spfRules: variable(spf[1]!) };
        return { type: 'TXT', host, data: variable(r.data.text), ttl: r.ttl };
      }
      case 'A':
      case 'AAAA':
        throw new Error(`a sender domain's plan has no ${r.data.type} record for the customer`);
    }
  });
}

/** The platform's template, from the plan of a stand-in domain with the platform's default settings. */
export function platformTemplate(zone: string, standIn: RecordPlan): DomainConnectTemplate {
  return {
    providerId: zone,
    providerName: `senderd (${zone})`,
    serviceId: DC_SERVICE_ID,
    serviceName: 'Sending mail with senderd',
    version: 1,
    description:
      'DKIM (three selectors senderd rotates), DMARC hosted by senderd, the return-path and tracking hosts, and the SPF include.',
    variableDescription: "token: the sender domain's senderd token (12 characters, base32)",
    syncBlock: false,
    syncPubKeyDomain: zone,
    hostRequired: false,
    warnPhishing: true,
    records: templateRecords(standIn),
  };
}

/** Whether the domain's own plan renders to exactly the template's records. */
export function planFitsTemplate(plan: RecordPlan, template: DomainConnectTemplate): boolean {
  return JSON.stringify(templateRecords(plan)) === JSON.stringify(template.records);
}
