import { useEffect, useState } from 'react';

/** Copies `value` to the clipboard and says so where a screen reader hears it. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <span className="copy">
      <button type="button" className="small" onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span role="status" className={`copy-status ${state}`}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : ''}
      </span>
    </span>
  );
}
