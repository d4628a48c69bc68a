import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; error: ApiError | Error } | { state: 'ready'; value: T };

/** Loads `load()` when `key` changes; `reload` runs it again. A stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void, (value: T) => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(() => {
    const mine = ++generation.current;
    loader.current().then(
      (value) => mine === generation.current && setResult({ state: 'ready', value }),
      (error: unknown) =>
        mine === generation.current &&
        setResult({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, []);
  useEffect(() => {
    setResult({ state: 'loading' });
    run();
  }, [key, run]);
  const set = useCallback((value: T) => setResult({ state: 'ready', value }), []);
  return [result, run, set];
}

export function ErrorMessage({ error }: { error: Error }) {
  // A wait in seconds is for programs (the message says it in words, and Retry-After carries it too).
  const details = error instanceof ApiError ? error.details.filter((d) => d.reason !== 'retry_after') : [];
  return (
    <div className="message error" role="alert">
      {error.message}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>{d.path ? `${d.path}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Renders a loaded value, or a loading line, or the error. */
export function Show<T>({
  loaded,
  children,
  what,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (value: T) => ReactNode;
}) {
  if (loaded.state === 'loading')
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  if (loaded.state === 'error') return <ErrorMessage error={loaded.error} />;
  return <>{children(loaded.value)}</>;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export function formatDay(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}
