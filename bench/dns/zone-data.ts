/** The benchmark's data: N sender domains in a fresh store, and a dnsperf query file of hits and NXDOMAINs. */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Services } from '../../src/main.ts';

/** A real RSA-2048 public key, so DKIM answers have their real size (about 410 octets of TXT). */
function dkimRecord(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
}

export interface BenchDomain {
  readonly name: string;
  readonly token: string;
}

/**
 * Adds `count` sender domains through the domain service, as the API would. Each hosts a DKIM key (the
 * customer's own selector `k1`, published by senderd), DMARC, bounce MX + SPF, t.spf and the report
 * authorisation; every fifth domain also has its own SPF mechanisms (one with a lookup, so it is flattened).
 */
export async function addDomains(services: Services, count: number): Promise<BenchDomain[]> {
  const tenant = await services.accounts.addTenant('bench');
  const record = dkimRecord();
  const out: BenchDomain[] = [];
  for (let i = 0; i < count; i++) {
    const spf = i % 5 === 0 ? { spfMechanisms: ['ip4:198.51.100.0/24', 'include:_spf.example.org'] } : {};
    const d = await services.domains.add(tenant.id, `sender${i}.com`, {
      ...spf,
      ownDkimSelectors: [{ selector: 'k1', record }],
    });
    out.push({ name: d.name, token: d.token });
  }
  return out;
}

/** A deterministic pseudo-random sequence (xorshift32), so both servers get the same query file. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * dnsperf's input: `name TYPE` per line. `hitShare` of the lines ask for records that exist (DKIM, DMARC,
 * bounce MX and TXT, t.spf, report authorisation, in equal parts); the rest ask for names that do not.
 */
export function writeQueryFile(
  path: string,
  zone: string,
  domains: readonly BenchDomain[],
  lines: number,
  hitShare: number,
): void {
  const random = rng(20261101);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const d = domains[Math.floor(random() * domains.length)]!;
    if (random() >= hitShare) {
      out.push(`x${Math.floor(random() * 1e9).toString(36)}.dkim.${zone} TXT`);
      continue;
    }
    switch (Math.floor(random() * 6)) {
      case 0:
        out.push(`k1.${d.token}.dkim.${zone} TXT`);
        break;
      case 1:
        out.push(`${d.token}.dmarc.${zone} TXT`);
        break;
      case 2:
        out.push(`${d.token}.bounce.${zone} MX`);
        break;
      case 3:
        out.push(`${d.token}.bounce.${zone} TXT`);
        break;
      case 4:
        out.push(`${d.token}.spf.${zone} TXT`);
        break;
      default:
        out.push(`${d.name}._report._dmarc.reports.${zone} TXT`);
    }
  }
  writeFileSync(path, out.join('\n') + '\n');
}
