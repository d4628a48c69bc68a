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
  // Said as soon as the first field is left too short, not only after the password was typed a second time.
  const [tooShort, setTooShort] = useState(false);
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
        aria-invalid={tooShort}
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          if (e.target.value.length >= MIN_PASSWORD) setTooShort(false);
        }}
        onBlur={() => setTooShort(password.length > 0 && password.length < MIN_PASSWORD)}
      />
      <p className="help" id="new-password-help">
        At least {MIN_PASSWORD} characters. A few unrelated words make a good one.
      </p>
      {tooShort && (
        <p className="message error" role="alert">
          This password has {password.length} characters; choose one of at least {MIN_PASSWORD}.
        </p>
      )}
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
    setTooShort(false);
  };
  return { password, fields, check, reset };
}
