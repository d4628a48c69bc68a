import { AppError, type Clock } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { BimiLogo, BimiLogoRepository } from './model.ts';
import { checkLogo } from './svg-logo.ts';

/**
 * BIMI logo hosting: an uploaded SVG is checked against SVG Tiny PS (svg-logo.ts), stored, served by the edge at
 * `https://<the domain's edge host>/bimi/<sha256>.svg`, and its URL becomes the `l=` of the domain's BIMI record,
 * which the DMARC capability still publishes only while the policy is enforced.
 */

export interface BimiServiceDeps {
  readonly repo: BimiLogoRepository;
  readonly domains: { get(tenantId: string, name: string): Promise<SenderDomain> };
  /**
   * Points the domain's BIMI record at the logo (`l=`), keeping its authority (`a=`); null clears `l=` if it is
   * still `replaces` (a location set by hand to another server stays).
   */
  readonly setLocation: (
    tenantId: string,
    name: string,
    location: string | null,
    replaces: string | null,
  ) => Promise<void>;
  readonly clock: Clock;
}

export interface BimiLogoView {
  readonly domain: string;
  /** The edge host the logo is served from, or null while the domain has none (tracking and MTA-STS off). */
  readonly host: string | null;
  readonly logo: { readonly sha256: string; readonly bytes: number; readonly uploadedAt: string } | null;
  /** The `l=` URL, while there is a logo and a host. */
  readonly url: string | null;
}

/** The edge host a domain's logo is served from: the click host, else the MTA-STS policy host. */
export function logoHostOf(domain: SenderDomain): string | null {
  if (domain.settings.tracking) return `${domain.settings.clickLabel}.${domain.name}`;
  if (domain.settings.mtaSts != null) return `mta-sts.${domain.name}`;
  return null;
}

export class BimiService {
  readonly #d: BimiServiceDeps;

  constructor(deps: BimiServiceDeps) {
    this.#d = deps;
  }

  async status(tenantId: string, name: string): Promise<BimiLogoView> {
    const domain = await this.#d.domains.get(tenantId, name);
    return view(domain, await this.#d.repo.get(domain.id));
  }

  /** Checks, stores and publishes a logo; a refused file changes nothing and says why. */
  async upload(tenantId: string, name: string, bytes: Uint8Array): Promise<BimiLogoView> {
    const domain = await this.#d.domains.get(tenantId, name);
    const checked = checkLogo(bytes);
    if (!checked.ok)
      throw new AppError(
        checked.reason === 'too_large' ? 'payload_too_large' : 'validation_failed',
        `The logo is refused: ${checked.message}`,
        [{ path: 'logo', message: checked.message, reason: checked.reason }],
      );
    const host = logoHostOf(domain);
    if (host === null)
      throw new AppError(
        'conflict',
        `${domain.name} has no HTTPS host to serve the logo from: turn click tracking or MTA-STS on (its host gets a certificate once its CNAME points at senderd).`,
      );
    const logo: BimiLogo = {
      domainId: domain.id,
      tenantId: domain.tenantId,
      sha256: checked.sha256,
      svg: checked.svg,
      bytes: checked.bytes,
      uploadedAt: this.#d.clock.now().toISOString(),
    };
    await this.#d.repo.put(logo);
    const v = view(domain, logo);
    await this.#d.setLocation(tenantId, domain.name, v.url, null);
    return v;
  }

  async remove(tenantId: string, name: string): Promise<BimiLogoView> {
    const domain = await this.#d.domains.get(tenantId, name);
    const before = view(domain, await this.#d.repo.get(domain.id));
    await this.#d.repo.remove(domain.id);
    await this.#d.setLocation(tenantId, domain.name, null, before.url);
    return view(domain, null);
  }
}

function view(domain: SenderDomain, logo: BimiLogo | null): BimiLogoView {
  const host = logoHostOf(domain);
  return {
    domain: domain.name,
    host,
    logo: logo === null ? null : { sha256: logo.sha256, bytes: logo.bytes, uploadedAt: logo.uploadedAt },
    url: logo === null || host === null ? null : `https://${host}/bimi/${logo.sha256}.svg`,
  };
}
