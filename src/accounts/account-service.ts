import { AppError, randomBase32, type Clock, type RandomSource } from '../core/index.ts';
import type { ApiKeyRecord, Principal, Tenant, User, UserRole } from './model.ts';
import type { AccountRepository } from './ports.ts';
import { checkNewPassword, NO_PASSWORD } from './password-policy.ts';
import { digestsEqual, hashPassword, sha256Hex, verifyPassword } from './secret-hash.ts';

const TENANT_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
/** `sdk_<id>_<secret>`: the id finds the record, the secret (32 base32 characters, 160 bits) proves possession. */
const API_KEY = /^sdk_([a-z2-7]{12})_([a-z2-7]{32})$/;

export interface AccountDeps {
  readonly repo: AccountRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export function newId(random: RandomSource, prefix: string): string {
  return `${prefix}_${randomBase32(random, 16)}`;
}

export class AccountService {
  readonly #deps: AccountDeps;

  constructor(deps: AccountDeps) {
    this.#deps = deps;
  }

  async addTenant(name: string): Promise<Tenant> {
    if (!TENANT_NAME.test(name)) {
      throw new AppError(
        'validation_failed',
        `Tenant name "${name}" is invalid: use 1–40 characters a-z, 0-9 and inner hyphens.`,
        [{ path: 'name', message: 'a-z, 0-9 and inner hyphens, at most 40 characters' }],
      );
    }
    if ((await this.#deps.repo.findTenantByName(name)) !== null) {
      throw new AppError('conflict', `A tenant named "${name}" already exists.`);
    }
    const tenant: Tenant = { id: newId(this.#deps.random, 'ten'), name, createdAt: this.#now() };
    await this.#deps.repo.insertTenant(tenant);
    return tenant;
  }

  async tenantByName(name: string): Promise<Tenant> {
    const tenant = await this.#deps.repo.findTenantByName(name);
    if (tenant === null) throw new AppError('not_found', `No tenant named "${name}".`);
    return tenant;
  }

  listTenants(): Promise<Tenant[]> {
    return this.#deps.repo.listTenants();
  }

  /** Creates a key and returns its full text once. Only the hash of its secret is stored. */
  async createApiKey(tenantId: string, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = randomBase32(this.#deps.random, 12);
    const secret = randomBase32(this.#deps.random, 32);
    const record: ApiKeyRecord = {
      id,
      tenantId,
      name: name.slice(0, 100),
      secretHash: sha256Hex(secret),
      createdAt: this.#now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.#deps.repo.insertApiKey(record);
    return { key: `sdk_${id}_${secret}`, record };
  }

  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.#deps.repo.listApiKeys(tenantId);
  }

  async revokeApiKey(tenantId: string, id: string): Promise<void> {
    if (!(await this.#deps.repo.revokeApiKey(tenantId, id, this.#now()))) {
      throw new AppError('not_found', `No API key ${id}.`);
    }
  }

  /** The principal behind an API key, or null for a malformed, unknown or revoked key. */
  async authenticateApiKey(presented: string): Promise<Principal | null> {
    const m = API_KEY.exec(presented);
    if (m === null) return null;
    const record = await this.#deps.repo.findApiKey(m[1]!);
    if (record === null || record.revokedAt !== null) return null;
    if (!digestsEqual(record.secretHash, sha256Hex(m[2]!))) return null;
    const tenant = await this.#deps.repo.findTenantById(record.tenantId);
    if (tenant === null) return null;
    await this.#deps.repo.touchApiKey(record.id, this.#now());
    return { tenantId: tenant.id, tenantName: tenant.name, via: 'api-key', keyId: record.id };
  }

  /** Adds a user; with a null password they cannot sign in until they set one through a set-password link. */
  async addUser(tenantId: string, email: string, password: string | null, role: UserRole): Promise<User> {
    const normalised = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalised)) {
      throw new AppError('validation_failed', `"${email}" is not an e-mail address.`);
    }
    if (password !== null) checkNewPassword(password);
    if ((await this.#deps.repo.findUserByEmail(normalised)) !== null) {
      throw new AppError('conflict', `A user with e-mail ${normalised} already exists.`);
    }
    const user: User = {
      id: newId(this.#deps.random, 'usr'),
      tenantId,
      email: normalised,
      passwordHash:
        password === null ? NO_PASSWORD : await hashPassword(password, this.#deps.random.bytes(16)),
      role,
      createdAt: this.#now(),
    };
    await this.#deps.repo.insertUser(user);
    return user;
  }

  /** The user for an e-mail and password, or null. Unknown e-mail and wrong password look the same. */
  async authenticatePassword(email: string, password: string): Promise<User | null> {
    const user = await this.#deps.repo.findUserByEmail(email.trim().toLowerCase());
    if (user === null || user.passwordHash === NO_PASSWORD) {
      // Spend the same time as a real check, so timing reveals neither which e-mails exist nor who has no password yet.
      await hashPassword(password, Buffer.alloc(16));
      return null;
    }
    return (await verifyPassword(password, user.passwordHash)) ? user : null;
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }
}
