import { AppError, type Clock, type RandomSource } from '../core/index.ts';
import type { AccountService } from './account-service.ts';
import type { User } from './model.ts';
import { sessionIdHash } from './session-service.ts';
import type { IssuedLink, TeamChange, TeamMember, TeamRepository, TeamRole } from './team-model.ts';

export interface TeamDeps {
  readonly team: TeamRepository;
  readonly accounts: AccountService;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** A set-password link works this long after it was issued (and only once). */
  readonly linkTtlMs: number;
}

/** 256 random bits, base64url, like a session secret. */
const LINK_TOKEN_BYTES = 32;
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The SHA-256 of a link token, hex: what the store keys links by. */
export const linkTokenHash = sessionIdHash;

/**
 * A tenant's team: who is in it, with which role, and one-time set-password links for new users (or for one who
 * forgot their password). The API decides who may call what (src/api/roles.ts); this class keeps the invariants
 * that hold whoever calls: a tenant always has an owner, and operators are not managed here.
 */
export class TeamService {
  readonly #deps: TeamDeps;

  constructor(deps: TeamDeps) {
    this.#deps = deps;
  }

  list(tenantId: string): Promise<TeamMember[]> {
    return this.#deps.team.listMembers(tenantId, this.#now());
  }

  /**
   * Adds a user with an initial password, or without one and with a set-password link to pass on (better: the
   * owner never knows the password, and it never travels in a chat or an e-mail).
   */
  async add(
    tenantId: string,
    input: { email: string; role: TeamRole; password?: string | undefined },
  ): Promise<{ member: TeamMember; link: IssuedLink | null }> {
    const user = await this.#deps.accounts.addUser(tenantId, input.email, input.password ?? null, input.role);
    const link = input.password === undefined ? await this.#issue(user) : null;
    return { member: await this.#member(tenantId, user.id), link };
  }

  /** A new set-password link for a user; their earlier links stop working. Their password stays until it is used. */
  async issueLink(tenantId: string, userId: string): Promise<IssuedLink> {
    return this.#issue(await this.#managed(tenantId, userId));
  }

  async changeRole(tenantId: string, userId: string, role: TeamRole): Promise<TeamMember> {
    await this.#managed(tenantId, userId);
    this.#outcome(await this.#deps.team.changeRole(tenantId, userId, role), userId, 'demoted');
    return this.#member(tenantId, userId);
  }

  /**
   * Removes a user; their sessions end at once and their links stop working. Operators only with
   * `operators: true` (the CLI, run by the machine's administrator).
   */
  async remove(tenantId: string, userId: string, options: { operators?: boolean } = {}): Promise<void> {
    if (options.operators !== true) await this.#managed(tenantId, userId);
    this.#outcome(await this.#deps.team.removeUser(tenantId, userId), userId, 'removed');
  }

  /** A user of this tenant that the team may manage; another tenant's user reads as not found. */
  async #managed(tenantId: string, userId: string): Promise<User> {
    const user = await this.#deps.team.findUser(tenantId, userId);
    if (user === null) throw new AppError('not_found', `No user ${userId}.`);
    if (user.role === 'operator') {
      throw new AppError(
        'forbidden',
        `${user.email} is an operator: operators are managed with the CLI (senderd user), not by a tenant's team.`,
      );
    }
    return user;
  }

  #outcome(change: TeamChange, userId: string, verb: string): void {
    if (change === 'not_found') throw new AppError('not_found', `No user ${userId}.`);
    if (change === 'last_owner') {
      throw new AppError(
        'conflict',
        `This is the tenant's last owner and cannot be ${verb}: make another user an owner first.`,
        [{ message: 'a tenant always keeps at least one owner', reason: 'last_owner' }],
      );
    }
  }

  async #member(tenantId: string, userId: string): Promise<TeamMember> {
    const member = (await this.list(tenantId)).find((m) => m.id === userId);
    if (member === undefined) throw new AppError('not_found', `No user ${userId}.`);
    return member;
  }

  async #issue(user: User): Promise<IssuedLink> {
    const token = this.#deps.random.bytes(LINK_TOKEN_BYTES).toString('base64url');
    const now = this.#deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.#deps.linkTtlMs).toISOString();
    await this.#deps.team.insertPasswordLink({
      tokenHash: linkTokenHash(token),
      userId: user.id,
      tenantId: user.tenantId,
      createdAt: now.toISOString(),
      expiresAt,
      usedAt: null,
    });
    return { token, expiresAt };
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }
}
