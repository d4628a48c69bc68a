import { AppError, randomBase32, type Clock, type RandomSource } from '../core/index.ts';
import { parseSenderDomain, type SenderDomainRules } from './sender-domain-name.ts';
import { normaliseDomainName, type DomainName } from '../domain-name/index.ts';
import { applySettings, domainSettingsInput } from './domain-settings.ts';
import type { SenderDomain } from './model.ts';
import type { MtaStsSettings } from './mta-sts-policy.ts';
import type { DkimKeyLookup, DomainRepository, PolicyRecordSource } from './ports.ts';
import {
  initialDmarcRecord,
  planRecords,
  type PlatformNames,
  type PublishedDkimKey,
  type RecordPlan,
  type SenderDomainSettings,
} from './record-plan.ts';

/** 12 base32 characters: 60 random bits, a single DNS label, and a valid e-mail local part. */
export const TOKEN_LENGTH = 12;

export interface DomainServiceDeps {
  readonly repo: DomainRepository;
  readonly keys: DkimKeyLookup;
  /** Where the DMARC/BIMI records come from; without it, every domain publishes the initial monitoring record. */
  readonly policy?: PolicyRecordSource;
  readonly rules: SenderDomainRules;
  readonly platform: PlatformNames;
  readonly defaults: Pick<SenderDomainSettings, 'bounceLabel' | 'clickLabel'>;
  readonly clock: Clock;
  readonly random: RandomSource;
  /**
   * What is wrong with a DKIM key record a customer gives for one of their own selectors, or null: dkim's rule
   * (RFC 6376 §3.2 tag-list, §3.6.1 key record), handed in because dkim imports domains.
   */
  readonly keyRecordProblem: (record: string) => string | null;
}

export class DomainService {
  readonly #deps: DomainServiceDeps;

  constructor(deps: DomainServiceDeps) {
    this.#deps = deps;
  }

  /** The settings of a new domain, before what the caller gave. */
  #baseSettings(): SenderDomainSettings {
    return {
      mode: 'delegated',
      bounceLabel: this.#deps.defaults.bounceLabel,
      clickLabel: this.#deps.defaults.clickLabel,
      tracking: true,
      spfMechanisms: [],
      dkimSelectors: [],
      ownDkimSelectors: [],
    };
  }

  /**
   * The plan of a new domain with the default settings and a stand-in name and token: what every such domain
   * asks of its DNS, the same up to its name and token (the Domain Connect template is made from it).
   */
  standInPlan(): RecordPlan {
    const token = 'a'.repeat(TOKEN_LENGTH);
    const domain = {
      name: 'example.invalid' as DomainName,
      token,
      settings: this.#baseSettings(),
    } as SenderDomain;
    return this.#plan(domain, [], [], this.#initialRecords(domain));
  }

  /** Validates the name and settings, draws a fresh token and stores the domain. */
  async add(tenantId: string, nameInput: string, settingsInput: unknown = {}): Promise<SenderDomain> {
    const name = this.#parseNewName(nameInput);
    const settings = this.#checkSettings(this.#baseSettings(), settingsInput, name);
    const now = this.#deps.clock.now().toISOString();
    // A collision of 60-bit tokens is vanishingly rare, but the store is the judge: draw again if it says so.
    for (let attempt = 0; attempt < 5; attempt++) {
      const domain: SenderDomain = {
        id: `dom_${randomBase32(this.#deps.random, 16)}`,
        tenantId,
        name,
        token: randomBase32(this.#deps.random, TOKEN_LENGTH),
        settings,
        createdAt: now,
        updatedAt: now,
        verifiedAt: null,
      };
      const outcome = await this.#deps.repo.insert(domain);
      if (outcome === 'ok') return domain;
      if (outcome === 'name_taken')
        throw new AppError('conflict', `${name} is already a sender domain of this tenant.`);
    }
    throw new AppError('internal', 'Could not draw an unused domain token.');
  }

  list(tenantId: string): Promise<SenderDomain[]> {
    return this.#deps.repo.listByTenant(tenantId);
  }

  /** The tenant's domain by name, however it was typed; another tenant's domain is "not found". */
  async get(tenantId: string, nameInput: string): Promise<SenderDomain> {
    const parsed = normaliseDomainName(nameInput);
    const domain = parsed.ok ? await this.#deps.repo.findByName(tenantId, parsed.value) : null;
    if (domain === null) throw new AppError('not_found', `No sender domain ${nameInput.trim()}.`);
    return domain;
  }

  async update(tenantId: string, nameInput: string, settingsInput: unknown): Promise<SenderDomain> {
    const current = await this.get(tenantId, nameInput);
    const settings = this.#checkSettings(current.settings, settingsInput, current.name);
    const updated: SenderDomain = { ...current, settings, updatedAt: this.#deps.clock.now().toISOString() };
    await this.#deps.repo.update(updated);
    return updated;
  }

  /**
   * Stores a domain's MTA-STS settings (null: off). Only the mta-sts capability calls this, after its own checks
   * (the MX hosts, the TLS reports); the ordinary settings input cannot change them.
   */
  async setMtaSts(domain: SenderDomain, mtaSts: MtaStsSettings | null): Promise<SenderDomain> {
    const updated: SenderDomain = {
      ...domain,
      settings: { ...domain.settings, mtaSts },
      updatedAt: this.#deps.clock.now().toISOString(),
    };
    await this.#deps.repo.update(updated);
    return updated;
  }

  async remove(tenantId: string, nameInput: string): Promise<void> {
    const domain = await this.get(tenantId, nameInput);
    await this.#deps.repo.remove(tenantId, domain.name, this.#deps.clock.now().toISOString());
  }

  async plan(tenantId: string, nameInput: string): Promise<RecordPlan> {
    const domain = await this.get(tenantId, nameInput);
    return this.planFor(domain);
  }

  async planFor(domain: SenderDomain): Promise<RecordPlan> {
    const keys = this.#deps.keys;
    const [dkimKeys, extraDkimSelectors, records] = await Promise.all([
      keys.publishedKeys(domain.id),
      keys.extraSelectors?.(domain.id) ?? [],
      this.#deps.policy?.recordsFor(domain) ?? this.#initialRecords(domain),
    ]);
    return this.#plan(domain, dkimKeys, extraDkimSelectors, records);
  }

  /**
   * The plans of many domains, the same as `planFor` of each, with a few queries in all instead of several per
   * domain (a full zone build plans every domain of every tenant).
   */
  async plansFor(domains: readonly SenderDomain[]): Promise<RecordPlan[]> {
    const { keys, policy } = this.#deps;
    if (keys.zoneKeysFor === undefined || (policy !== undefined && policy.recordsForMany === undefined)) {
      return Promise.all(domains.map((d) => this.planFor(d)));
    }
    const [zoneKeys, records] = await Promise.all([
      keys.zoneKeysFor(domains.map((d) => d.id)),
      policy?.recordsForMany?.(domains) ?? domains.map((d) => this.#initialRecords(d)),
    ]);
    return domains.map((d, i) => {
      const k = zoneKeys.get(d.id);
      return this.#plan(d, k?.published ?? [], k?.extraSelectors ?? [], records[i]!);
    });
  }

  #initialRecords(domain: SenderDomain): { dmarc: string; bimi?: string } {
    return { dmarc: initialDmarcRecord(domain.token, this.#deps.platform.reportsHost) };
  }

  #plan(
    domain: SenderDomain,
    dkimKeys: readonly PublishedDkimKey[],
    extraDkimSelectors: readonly string[],
    records: { readonly dmarc: string; readonly bimi?: string },
  ): RecordPlan {
    return planRecords({
      domain: domain.name,
      token: domain.token,
      settings: domain.settings,
      platform: this.#deps.platform,
      dkimKeys,
      extraDkimSelectors,
      dmarcRecord: records.dmarc,
      ...(records.bimi !== undefined ? { bimiRecord: records.bimi } : {}),
    });
  }

  /** A domain by id, for schedulers (not tenant-facing). */
  async byId(domainId: string): Promise<SenderDomain | null> {
    return this.#deps.repo.findById(domainId);
  }

  /** The zone the customer most likely edits: the registrable domain (Public Suffix List). */
  apexOf(name: DomainName): string {
    return this.#deps.rules.publicSuffixes.registrableDomain(name) ?? name;
  }

  #parseNewName(input: string): DomainName {
    const parsed = parseSenderDomain(input, this.#deps.rules);
    if (!parsed.ok) {
      throw new AppError('invalid_domain', parsed.error.message, [
        { path: 'name', message: parsed.error.message, reason: parsed.error.problem },
      ]);
    }
    return parsed.value;
  }

  #checkSettings(current: SenderDomainSettings, input: unknown, name: DomainName): SenderDomainSettings {
    const parsed = domainSettingsInput.safeParse(input ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      throw new AppError('validation_failed', 'The domain settings are invalid.', details);
    }
    const { settings, problems } = applySettings(
      current,
      parsed.data,
      this.#deps.platform.dkimSelectors,
      this.#deps.keyRecordProblem,
    );
    problems.push(...this.#nameLengthProblems(name, settings));
    if (problems.length > 0)
      throw new AppError('validation_failed', 'The domain settings are invalid.', problems);
    return settings;
  }

  /**
   * Every name the plan creates must itself be a valid name: a long sender domain under a long platform zone can
   * push `<domain>._report._dmarc.<reports host>` past 253 characters (RFC 1035 §2.3.4).
   */
  #nameLengthProblems(
    name: DomainName,
    settings: SenderDomainSettings,
  ): Array<{ path: string; message: string }> {
    const plan = planRecords({
      domain: name,
      token: 'x'.repeat(TOKEN_LENGTH),
      settings,
      platform: this.#deps.platform,
      dkimKeys: [],
      dmarcRecord: '',
    });
    const tooLong = [...plan.customer, ...plan.hosted].map((r) => r.name).find((n) => n.length > 253);
    return tooLong === undefined
      ? []
      : [
          {
            path: 'name',
            message: `the domain is too long: the record ${tooLong.slice(0, 40)}… would exceed 253 characters`,
          },
        ];
  }
}
