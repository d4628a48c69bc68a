import type { Clock } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import { storedHostStatus, unstoredHostStatus, type HostStatusView } from './edge-status.ts';
import { readinessOf, type EdgeHostRole } from './host-plan.ts';
import type { EdgeRepository, RecordGrade } from './ports.ts';

export interface EdgeServiceDeps {
  readonly repo: EdgeRepository;
  /** The tenant's domains; another tenant's domain is "not found" (the domains capability). */
  readonly domains: {
    get(tenantId: string, name: string): Promise<SenderDomain>;
    list(tenantId: string): Promise<SenderDomain[]>;
  };
  readonly roles: readonly EdgeHostRole[];
  readonly clock: Clock;
}

export interface DomainEdgeStatus {
  readonly domain: string;
  readonly hosts: readonly HostStatusView[];
}

/** The status of a tenant's customer hosts and certificates, for the API, the CLI and the dashboard. */
export class EdgeService {
  readonly #d: EdgeServiceDeps;

  constructor(deps: EdgeServiceDeps) {
    this.#d = deps;
  }

  /** One domain's hosts (none while it uses no edge host, e.g. tracking off). */
  async status(tenantId: string, name: string): Promise<DomainEdgeStatus> {
    const domain = await this.#d.domains.get(tenantId, name);
    return (await this.#statuses(tenantId, [domain]))[0]!;
  }

  /** Every domain of the tenant that uses an edge host, by name. */
  async statuses(tenantId: string): Promise<DomainEdgeStatus[]> {
    const domains = await this.#d.domains.list(tenantId);
    return (await this.#statuses(tenantId, domains)).filter((s) => s.hosts.length > 0);
  }

  async #statuses(tenantId: string, domains: readonly SenderDomain[]): Promise<DomainEdgeStatus[]> {
    const { repo, roles } = this.#d;
    const ids = domains.map((d) => d.id);
    const [stored, grades] = await Promise.all([
      domains.length === 1 ? repo.hostsOfTenant(tenantId, ids[0]) : repo.hostsOfTenant(tenantId),
      repo.recordGrades(
        roles.map((r) => r.recordKey),
        ids,
      ),
    ]);
    const byName = new Map(stored.map((h) => [h.hostname, h]));
    const now = this.#d.clock.now();
    return domains.map((domain) => ({
      domain: domain.name,
      hosts: roles.flatMap((role) => {
        const hostname = role.hostnameOf(domain);
        if (hostname === null) return [];
        const grade: RecordGrade | undefined = grades.get(domain.id)?.get(role.recordKey);
        const readiness = readinessOf(domain, hostname, grade);
        const host = byName.get(hostname);
        // A host held by another domain of the same name (another tenant) is not this domain's to show.
        return [
          host !== undefined && host.domainId === domain.id
            ? storedHostStatus(host, readiness, now)
            : unstoredHostStatus(hostname, role.role, readiness),
        ];
      }),
    }));
  }
}
