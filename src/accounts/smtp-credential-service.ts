import { AppError, randomBase32, type Clock, type RandomSource } from '../core/index.ts';
import { digestsEqual, sha256Hex } from './secret-hash.ts';

/**
 * SMTP credentials: the user name and password a tenant's application uses for AUTH on the gateway's submission
 * port. The password is generated (32 base32 characters, 160 random bits) and shown once; only its SHA-256 is
 * stored. With that much entropy a fast hash is enough (as for API keys), which keeps AUTH cheap for clients
 * that open many connections.
 */
export interface SmtpCredential {
  readonly id: string;
  readonly tenantId: string;
  /** The AUTH user name; equal to the id, so it is unique and says nothing about the tenant. */
  readonly username: string;
  readonly name: string;
  readonly secretHash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** What SMTP credentials need from the store. */
export interface SmtpCredentialRepository {
  insert(credential: SmtpCredential): Promise<void>;
  findByUsername(username: string): Promise<SmtpCredential | null>;
  list(tenantId: string): Promise<SmtpCredential[]>;
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

const USERNAME = /^smtp_[a-z2-7]{12}$/;
const PASSWORD = /^[a-z2-7]{32}$/;

export class SmtpCredentialService {
  readonly #repo: SmtpCredentialRepository;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  /** Last-used times are written at most once a minute per credential, not on every connection. */
  readonly #touched = new Map<string, number>();

  constructor(deps: { repo: SmtpCredentialRepository; clock: Clock; random: RandomSource }) {
    this.#repo = deps.repo;
    this.#clock = deps.clock;
    this.#random = deps.random;
  }

  /** Creates a credential; the password is returned this once and never again. */
  async create(tenantId: string, name: string): Promise<{ credential: SmtpCredential; password: string }> {
    const id = `smtp_${randomBase32(this.#random, 12)}`;
    const password = randomBase32(this.#random, 32);
    const credential: SmtpCredential = {
      id,
      tenantId,
      username: id,
      name: name.slice(0, 100),
      secretHash: sha256Hex(password),
      createdAt: this.#clock.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.#repo.insert(credential);
    return { credential, password };
  }

  list(tenantId: string): Promise<SmtpCredential[]> {
    return this.#repo.list(tenantId);
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    if (!(await this.#repo.revoke(tenantId, id, this.#clock.now().toISOString()))) {
      throw new AppError('not_found', `No SMTP credential ${id}.`);
    }
  }

  /** The tenant behind a user name and password, or null (unknown, revoked or wrong look the same). */
  async authenticate(
    username: string,
    password: string,
  ): Promise<{ tenantId: string; credentialId: string } | null> {
    if (!USERNAME.test(username) || !PASSWORD.test(password)) return null;
    const found = await this.#repo.findByUsername(username);
    if (found === null || found.revokedAt !== null) return null;
    if (!digestsEqual(found.secretHash, sha256Hex(password))) return null;
    const now = this.#clock.now();
    const last = this.#touched.get(found.id) ?? 0;
    if (now.getTime() - last > 60_000) {
      this.#touched.set(found.id, now.getTime());
      await this.#repo.touch(found.id, now.toISOString());
    }
    return { tenantId: found.tenantId, credentialId: found.id };
  }
}
