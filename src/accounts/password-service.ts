import { AppError, type RandomSource } from '../core/index.ts';
import type { User } from './model.ts';
import type { AccountRepository } from './ports.ts';
import { checkNewPassword } from './password-policy.ts';
import { hashPassword, verifyPassword } from './secret-hash.ts';
import type { SessionRepository } from './session-model.ts';
import type { OpenedSession, SessionService } from './session-service.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';
import { LINK_TOKEN, linkTokenHash } from './team-service.ts';
import type { TeamRepository } from './team-model.ts';

export interface PasswordDeps {
  readonly team: TeamRepository;
  readonly users: SessionRepository;
  readonly accounts: AccountRepository;
  readonly sessions: SessionService;
  /** The sign-in limiter: a wrong current password counts as a failed sign-in of that account. */
  readonly limiter: SignInLimiter;
  readonly clock: { now(): Date };
  readonly random: RandomSource;
}

/**
 * Passwords after sign-up: a signed-in user changes their own, a new user sets theirs through a one-time link,
 * and an administrator resets one from the CLI. Every change ends all of the user's sessions (a thief holding
 * one loses it); where the person is in front of us, a fresh session with a new id is opened for them.
 */
export class PasswordService {
  readonly #deps: PasswordDeps;

  constructor(deps: PasswordDeps) {
    this.#deps = deps;
  }

  /**
   * Changes the password of the session's user. The current password is required (a session left open on a
   * shared machine must not be enough) and wrong guesses count against the sign-in limit.
   */
  async change(secret: string, current: string, next: string, client: string): Promise<OpenedSession> {
    const session = await this.#deps.sessions.authenticate(secret);
    if (session === null) throw new AppError('unauthorized', 'Your session has ended: sign in again.');
    const account = session.view.user.email;
    const wait = await this.#deps.limiter.retryAfter(account, client);
    if (wait > 0) {
      throw new AppError('limit_exceeded', `Too many wrong passwords. Try again in ${wait} s.`, [
        { message: String(wait), reason: 'retry_after' },
      ]);
    }
    const user = await this.#deps.users.findUserById(session.view.user.id);
    if (user === null) throw new AppError('unauthorized', 'Your session has ended: sign in again.');
    if (!(await verifyPassword(current, user.passwordHash))) {
      await this.#deps.limiter.recordFailure(account, client);
      throw new AppError('validation_failed', 'The current password is wrong.', [
        { path: 'currentPassword', message: 'not your current password' },
      ]);
    }
    checkNewPassword(next, 'newPassword');
    if (next === current) {
      throw new AppError('validation_failed', 'The new password is the same as the current one.', [
        { path: 'newPassword', message: 'choose a different password' },
      ]);
    }
    await this.#deps.limiter.recordSuccess(account, client);
    await this.#deps.team.setPassword(user.id, await this.#hash(next));
    return this.#deps.sessions.openFor(user, session.view);
  }

  /** Sets the password through a one-time link and signs the user in. A used or expired link is refused. */
  async setWithLink(token: string, password: string): Promise<OpenedSession> {
    checkNewPassword(password);
    const gone = new AppError(
      'not_found',
      'This set-password link is not valid: it was used already, it has expired, or a newer one was made. Ask an owner of your team for a new link.',
    );
    if (!LINK_TOKEN.test(token)) throw gone;
    const now = this.#deps.clock.now().toISOString();
    const tokenHash = linkTokenHash(token);
    // The route needs no session, so an unknown token must cost no scrypt (32 MiB, tens of ms) before it is refused.
    if (!(await this.#deps.team.passwordLinkUsable(tokenHash, now))) throw gone;
    const user = await this.#deps.team.consumePasswordLink(tokenHash, now, await this.#hash(password));
    if (user === null) throw gone;
    await this.#deps.limiter.recordSuccess(user.email);
    return this.#deps.sessions.openFor(user);
  }

  /** Sets a user's password from the CLI (the administrator of the machine); returns how many sessions ended. */
  async reset(email: string, password: string): Promise<{ user: User; endedSessions: number }> {
    checkNewPassword(password);
    const user = await this.#deps.accounts.findUserByEmail(email.trim().toLowerCase());
    if (user === null) throw new AppError('not_found', `No user with e-mail ${email}.`);
    const endedSessions = await this.#deps.team.setPassword(user.id, await this.#hash(password));
    await this.#deps.limiter.recordSuccess(user.email);
    return { user, endedSessions };
  }

  #hash(password: string): Promise<string> {
    return hashPassword(password, this.#deps.random.bytes(16));
  }
}
