import { useRef, useState } from 'react';
import { enc, sendJson } from '../api/client.ts';
import { navigate } from '../router.ts';
import { ErrorMessage } from './async.tsx';
import { useSubmit } from './submit.tsx';

/**
 * Removing a sender domain, owners only (the API refuses a member with 403): a modal dialog says what goes with
 * it and asks for the name typed out, so a slip of the mouse removes nothing. `display` is how the page shows
 * the name (a U-label); the user may type either that or the A-label.
 */
export function RemoveDomain({ name, display }: { name: string; display: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const matches = [name, display].includes(typed.trim().toLowerCase().replace(/\.$/, ''));
  const open = () => {
    setTyped('');
    dialog.current?.showModal();
  };
  const {
    run: remove,
    error,
    busy,
  } = useSubmit(async () => {
    await sendJson('DELETE', `/v1/domains/${enc(name)}`);
    dialog.current?.close();
    navigate(`/?removed=${enc(name)}`);
  });
  return (
    <>
      <p className="small">
        Removing {display} stops senderd signing and serving anything for it. It cannot be undone: adding it
        again gives it a new token and new keys, and the customer&apos;s DNS must change.
      </p>
      <div className="actions">
        <button type="button" className="danger" onClick={open}>
          Remove {display}…
        </button>
      </div>
      <dialog ref={dialog} className="confirm remove-domain" aria-labelledby="remove-h">
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) void remove();
          }}
        >
          <h2 id="remove-h">Remove {display}?</h2>
          <p>This deletes, at once and for good:</p>
          <ul>
            <li>its DKIM keys, private keys included: mail from {display} is no longer signed;</li>
            <li>
              every record senderd serves for it (the DKIM selectors and the records the customer&apos;s
              CNAMEs point at), so those CNAMEs lead nowhere;
            </li>
            <li>its DMARC rollout and decisions, its check results, and its HTTPS host and certificate;</li>
            <li>
              its DMARC and TLS reports from the dashboard and the API (the stored rows are not deleted from
              the database).
            </li>
          </ul>
          <p>Its token is never issued again.</p>
          <label htmlFor="remove-confirm">Type {display} to confirm</label>
          <input
            id="remove-confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {error && <ErrorMessage error={error} />}
          <div className="actions">
            <button type="submit" className="danger" disabled={!matches || busy}>
              {busy ? 'Removing…' : `Remove ${display}`}
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
