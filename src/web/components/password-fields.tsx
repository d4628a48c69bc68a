import { useState } from 'react';

/** The shortest password the server accepts (src/accounts/password-policy.ts). */
export const MIN_PASSWORD = 12;

/**
 * A new password typed twice, with its rule said before it is broken. `check()` gives the problem in words, or
 * null when the two agree and are long enough; the server checks again.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const check = (): string | null => {
    if (password.length < MIN_PASSWORD) return `Choose a password of at least ${MIN_PASSWORD} characters.`;
    if (password !== again) return 'The two passwords differ.';
    return null;
  };
  const fields = (
    <>
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD}
        aria-describedby="new-password-help"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <p className="help" id="new-password-help">
        At least {MIN_PASSWORD} characters. A few unrelated words make a good one.
      </p>
      <label htmlFor="new-password-again">New password again</label>
      <input
        id="new-password-again"
        type="password"
        autoComplete="new-password"
        required
        value={again}
        onChange={(e) => setAgain(e.target.value)}
      />
    </>
  );
  const reset = () => {
    setPassword('');
    setAgain('');
  };
  return { password, fields, check, reset };
}
