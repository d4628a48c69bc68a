import type { Logger, Result } from '../core/index.ts';
import { err, ok } from '../core/index.ts';
import type { DkimSigner } from '../dkim/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { matchSenderDomain } from './envelope.ts';
import type { GatewayAlerts } from './gateway-alerts.ts';
import { intakeReply, type IntakeRefusal } from './intake-refusal.ts';
import { operatorDomainRefusal, operatorDomains, type OperatorDomains } from './operator-domains.ts';
import type { SenderDomainCache } from './sender-domain-cache.ts';

/**
 * The signing-plan stage: from the tenant and the author's domain to the domain that signs, or a refusal. A
 * verified sender domain signs as itself; until a domain is verified, senderd does not sign as it (DESIGN.md).
 */

/** As whom a message is signed, and why, in a sentence for the trace. */
export interface SigningPlan {
  /** The tenant's sender domain that matches the From domain (verified or not), if any. */
  readonly domain: SenderDomain | null;
  /** The domain whose keys sign (`d=`): the matched domain, the platform domain, or none (unsigned). */
  readonly signingDomain: SenderDomain | null;
  readonly decision: string;
}

export interface SigningPlanSettings {
  /** What to do with mail from a domain that matches no verified sender domain. */
  readonly unmatched: 'unsigned' | 'platform';
  /** The verified sender domain whose keys sign unmatched mail when `unmatched` is `platform`. */
  readonly platformDomain: string;
  readonly platformBounceDomain: string;
  readonly platformZone: string;
}

export interface SigningPlannerDeps {
  readonly settings: SigningPlanSettings;
  readonly domains: SenderDomainCache;
  readonly signer: DkimSigner;
  readonly alerts: GatewayAlerts;
  readonly log: Logger;
  /** The organisational domain of a name (the registrable domain under the Public Suffix List, RFC 7489 §3.2). */
  readonly organizationalDomain: (name: DomainName) => string;
}

/** Plans as whom each message signs; holds the operator domains, worked out once. */
export class SigningPlanner {
  readonly #deps: SigningPlannerDeps;
  readonly #operator: OperatorDomains;

  constructor(deps: SigningPlannerDeps) {
    this.#deps = deps;
    const s = deps.settings;
    this.#operator = operatorDomains(
      { bounceDomain: s.platformBounceDomain, zone: s.platformZone, platformDomain: s.platformDomain },
      deps.organizationalDomain,
    );
  }

  async plan(tenantId: string, fromDomain: DomainName): Promise<Result<SigningPlan, IntakeRefusal>> {
    const matched = matchSenderDomain(await this.#deps.domains.ofTenant(tenantId), fromDomain);
    if (matched !== null && matched.verifiedAt !== null) {
      if (!(await this.#deps.signer.canSign(matched))) return err(this.noKey(matched));
      return ok({
        domain: matched,
        signingDomain: matched,
        decision: `Signed as ${matched.name}, the sender domain matching ${fromDomain}.`,
      });
    }
    // Unmatched mail leaves with the platform's envelope domain (and maybe its d=), which DMARC would align with
    // any author in the same organisational domain: the operator's own domains are not for tenants to write as.
    const operator = operatorDomainRefusal(fromDomain, this.#operator, this.#deps.organizationalDomain);
    if (operator !== null) {
      this.#deps.log.warn({ tenantId, fromDomain }, 'refused: From domain is in an operator domain');
      this.#deps.alerts.once(`operator:${tenantId}`, {
        tenantId,
        domainId: null,
        type: 'gateway.signing.operator_domain_refused',
        severity: 'warning',
        message: `Mail with From domain ${fromDomain} was refused: ${intakeReply(operator).text}`,
        data: { domain: fromDomain },
      });
      return err(operator);
    }
    const why =
      matched === null
        ? `No sender domain of this tenant matches ${fromDomain}`
        : `The sender domain ${matched.name} is not verified yet`;
    if (this.#deps.settings.unmatched === 'unsigned') {
      return ok({
        domain: matched,
        signingDomain: null,
        decision: `${why}; left unsigned (gateway.signing.unmatched).`,
      });
    }
    const platformName = this.#deps.settings.platformDomain;
    const platform = platformName === '' ? null : await this.#deps.domains.verifiedByName(platformName);
    if (platform === null) {
      this.#deps.alerts.once('platform', {
        tenantId,
        domainId: null,
        type: 'gateway.signing.no_platform_domain',
        severity: 'critical',
        message: `Mail that matches no sender domain should be signed as ${platformName || '(unset)'}, but no verified sender domain has that name. Such mail is deferred.`,
        data: { platformDomain: platformName },
      });
      return err({ reason: 'no-platform-domain' });
    }
    if (!(await this.#deps.signer.canSign(platform))) return err(this.noKey(platform));
    return ok({
      domain: matched,
      signingDomain: platform,
      decision: `${why}; signed as the platform domain ${platform.name}.`,
    });
  }

  /**
   * The refusal for a domain without a key that signs now, with its critical event. Never send unsigned in silence
   * (DESIGN.md): defer, so the client keeps the message and retries, and alert.
   */
  noKey(domain: SenderDomain): IntakeRefusal {
    this.#deps.alerts.once(domain.id, {
      tenantId: domain.tenantId,
      domainId: domain.id,
      type: 'gateway.signing.no_key',
      severity: 'critical',
      message: `${domain.name} has no DKIM key that can sign now; its mail is being deferred (451) until one is active.`,
      data: { domain: domain.name },
    });
    return { reason: 'no-key', domain: domain.name };
  }
}
