/**
 * Fills a fresh store with N sender domains as the domain service and the DKIM publisher would leave them, in
 * bulk (a million domains one API call at a time would take hours): each domain has its own id, token, name and
 * settings, its issued token, and an active RSA-2048 key in selector sd1 whose private half is sealed under the
 * KEK for that very row (AES-256-GCM with the row's additional data), as `publishKey` does. The key pairs come
 * from a pool of pre-generated ones (issue 20 allows it), so two domains may publish the same public key; every
 * name and record is still the domain's own. Every fifth domain has SPF mechanisms of its own, one with a
 * lookup (so its t.spf record is flattened).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fingerprintOf, keyAad, publicKeyValue, type KeyMaterial } from '../../src/dkim/index.ts';
import { sealSecret } from '../../src/secrets/index.ts';
import type { Services } from '../../src/main.ts';

export interface ScaleDomain {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

/** RSA-2048 key pairs made once, shared round-robin by the domains. */
export function keyPool(size: number): KeyMaterial[] {
  return Array.from({ length: size }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { algorithm: 'rsa', bits: 2048, privateKey, publicKey } as const;
  });
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** Adds `count` domains of one tenant, `chunk` rows per transaction; returns them in the order made. */
export async function populate(
  services: Services,
  count: number,
  pool: readonly KeyMaterial[],
  onProgress?: (done: number) => void,
): Promise<ScaleDomain[]> {
  const tenant = await services.accounts.addTenant(`bench-${base32(6)}`);
  const db = services.store.db;
  const kek = services.kek.keys();
  const published = pool.map((m) => {
    const der = m.privateKey.export({ type: 'pkcs8', format: 'der' });
    const value = publicKeyValue(m);
    return { der, value, fingerprint: fingerprintOf(value) };
  });
  const now = new Date().toISOString();
  const out: ScaleDomain[] = [];
  const CHUNK = 5000;
  const ROWS = 400;
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    const domains: ScaleDomain[] = [];
    for (let i = start; i < end; i++) {
      domains.push({ id: `dom_${base32(16)}`, name: `sender${i}.com`, token: base32(12) });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < domains.length; i += ROWS) {
        const rows = domains.slice(i, i + ROWS);
        await trx
          .insertInto('issued_tokens')
          .values(rows.map((d) => ({ token: d.token, issued_at: now })))
          .execute();
        await trx
          .insertInto('domains')
          .values(
            rows.map((d, j) => {
              const own = (start + i + j) % 5 === 0;
              return {
                id: d.id,
                tenant_id: tenant.id,
                name: d.name,
                token: d.token,
                mode: 'delegated',
                bounce_label: 'bounce',
                click_label: 'clicks',
                tracking: 1,
                spf_mechanisms: JSON.stringify(
                  own ? ['ip4:198.51.100.0/24', 'include:_spf.example.org'] : [],
                ),
                dkim_selectors: '[]',
                own_dkim_selectors: '[]',
                created_at: now,
                updated_at: now,
                verified_at: now,
              };
            }),
          )
          .execute();
        await trx
          .insertInto('dkim_keys')
          .values(
            rows.map((d, j) => {
              const key = published[(start + i + j) % published.length]!;
              const id = `dk_${base32(16)}`;
              const secret = sealSecret(
                key.der,
                keyAad({ id, tenantId: tenant.id, domainId: d.id, algorithm: 'rsa' }),
                kek,
              );
              return {
                id,
                tenant_id: tenant.id,
                domain_id: d.id,
                selector: 'sd1',
                algorithm: 'rsa',
                bits: 2048,
                origin: 'generated',
                state: 'active',
                public_key: key.value,
                fingerprint: key.fingerprint,
                kek_id: secret.kekId,
                sealed_private_key: secret.sealed,
                created_at: now,
                activated_at: now,
                retiring_at: null,
                retired_at: null,
                revoked_at: null,
                unpublished_at: null,
                visible_at: now,
                activation_override: 0,
                revoke_reason: null,
                warnings: '[]',
              };
            }),
          )
          .execute();
      }
    });
    out.push(...domains);
    onProgress?.(end);
  }
  return out;
}
