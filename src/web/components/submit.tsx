import { useState, type FormEvent } from 'react';

/**
 * A form's submit handler (or a button's `run`) with its busy flag and error: `action` runs once per submit, and whatever it throws
 * (a failed request, or a problem found before sending) becomes the error to show.
 */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  /** Runs the action from a button (no form): the same busy flag and error. */
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run();
  };
  return { submit, run, error, busy };
}
