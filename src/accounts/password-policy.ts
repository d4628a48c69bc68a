import { AppError } from '../core/index.ts';

/** The shortest password accepted anywhere: the CLI, the team API, a set-password link, a password change. */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest: scrypt reads all of it, so an unbounded one would be a cheap way to burn CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/** The stored hash of a user who has not chosen a password yet: no password verifies against it. */
export const NO_PASSWORD = '!';

/** Refuses a new password that is too short or too long, with the same message wherever it is set. */
export function checkNewPassword(password: string, path = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError(
      'validation_failed',
      `A password needs at least ${MIN_PASSWORD_LENGTH} characters (and at most ${MAX_PASSWORD_LENGTH}).`,
      [{ path, message: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters` }],
    );
  }
}
