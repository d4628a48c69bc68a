import { AppError, type Clock, type RandomSource } from '../core/index.ts';
import type { TsigKey } from '../dns-wire/index.ts';
import type { DomainService } from '../domains/index.ts';
import { specialPurposeAddress } from '../ip/index.ts';
import { parseServerAddress, type DnsResolver, type DnsServerAddress } from '../resolver/index.ts';
import { applyPlan, type DnsApplyResult } from './dns-apply.ts';

export interface DnsApplyServiceDeps {
  readonly domains: Pick<DomainService, 'get' | 'planFor'>;
  /** Runs and stores a check of the tenant's domain (CheckService.checkNow), after an update was applied. */
  readonly check: (tenantId: string, name: string) => Promise<{ readonly grade: string }>;
  readonly resolver: DnsResolver;
  /** The IPv4 addresses of a server given by name (through the platform's recursive resolvers). */
  readonly addressesOf: (host: string) => Promise<string[]>;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly timeoutMs: number;
  /**
   * checks.allowPrivateApplyServers: let requests that are not trusted (the API, the wizard) send updates to
   * private, loopback or reserved addresses. Off, a tenant cannot make senderd send DNS messages into the
   * operator's own network.
   */
  readonly allowPrivateServers: boolean;
}

export interface DnsApplyInput {
  /** `HOST[:PORT]`: an address or a name of the zone's primary. */
  readonly server: string;
  readonly key: TsigKey | null;
  readonly dryRun: boolean;
  /** The operator's own CLI on the node: may name any server, private addresses included. */
  readonly trusted: boolean;
}

/** `dns apply` for a tenant's domain, the same for the CLI and the API: the plan written, then a check. */
export class DnsApplyService {
  readonly #d: DnsApplyServiceDeps;

  constructor(deps: DnsApplyServiceDeps) {
    this.#d = deps;
  }

  async apply(
    tenantId: string,
    name: string,
    input: DnsApplyInput,
  ): Promise<DnsApplyResult & { readonly checkGrade: string | null }> {
    const domain = await this.#d.domains.get(tenantId, name);
    const plan = await this.#d.domains.planFor(domain);
    const server = await this.#server(input.server);
    const special = specialPurposeAddress(server.host);
    if (special !== null && !input.trusted && !this.#d.allowPrivateServers)
      throw new AppError(
        'bad_request',
        `server: ${special}; senderd does not send updates there for a tenant (checks.allowPrivateApplyServers, or use the senderd CLI on the node)`,
      );
    const result = await applyPlan(
      { plan, server, key: input.key, dryRun: input.dryRun },
      {
        resolver: this.#d.resolver,
        random: this.#d.random,
        now: () => Math.floor(this.#d.clock.now().getTime() / 1000),
        timeoutMs: this.#d.timeoutMs,
      },
    );
    // RFC 2136 changes the primary at once; the check then sees what every nameserver serves.
    const checkGrade =
      result.outcome?.kind === 'applied' ? (await this.#d.check(tenantId, domain.name)).grade : null;
    return { ...result, checkGrade };
  }

  async #server(text: string): Promise<DnsServerAddress> {
    const direct = parseServerAddress(text);
    if (direct !== null) return direct;
    const m = /^([A-Za-z0-9.-]+?)\.?(?::(\d{1,5}))?$/.exec(text.trim());
    const port = m?.[2] === undefined ? 53 : Number(m[2]);
    if (m === null || port < 1 || port > 65535)
      throw new AppError(
        'bad_request',
        `--server must be HOST or HOST:PORT (an address or a name), not "${text}"`,
      );
    const addresses = await this.#d.addressesOf(m[1]!);
    const host = addresses[0];
    if (host === undefined) throw new AppError('bad_request', `${m[1]} has no IPv4 address`);
    return { host, port };
  }
}
