import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.tsx';

/**
 * A secret just made (an API key, an SMTP password, a webhook secret, a set-password link), shown this once with a copy button: the
 * server keeps only a hash or a sealed copy and never answers with it again, and neither does the dashboard once
 * the panel is closed.
 */
export function SecretPanel({
  id,
  label,
  value,
  lead,
  children,
  onClose,
}: {
  id: string;
  label: string;
  value: string;
  /** What to do with it, in place of the default "copy it now". */
  lead?: ReactNode;
  children?: ReactNode;
  onClose: () => void;
}) {
  return (
    <div className="message info link-panel secret-panel" role="status">
      <p>
        {lead ?? (
          <>
            <strong>Copy it now: it is shown this once.</strong> senderd keeps no readable copy of it.
          </>
        )}
      </p>
      {children}
      <label htmlFor={id}>{label}</label>
      <div className="suffix-input">
        <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} />
        <CopyButton value={value} label={label} />
      </div>
      <div className="actions">
        <button type="button" className="small secondary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
