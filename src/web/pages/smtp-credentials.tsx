import { useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { Session, SmtpCredential } from '../api/types.ts';
import { ErrorMessage, Show, useLoad } from '../components/async.tsx';
import { CredentialTable } from '../components/credential-table.tsx';
import { SecretPanel } from '../components/secret-panel.tsx';
import { useSubmit } from '../components/submit.tsx';

type Created = SmtpCredential & { password: string };

/**
 * The tenant's SMTP credentials for the gateway's submission port (docs/gateway.md): anyone who works on the
 * tenant's domains lists, creates (the password shown once) and revokes them; a read-only view only lists.
 */
export function SmtpCredentialsPage({ session }: { session: Session }) {
  const [list, reload] = useLoad(
    () => getJson<{ credentials: SmtpCredential[] }>('/v1/smtp-credentials'),
    'smtp-credentials',
  );
  const [name, setName] = useState('');
  const [made, setMade] = useState<Created | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const manage = session.access !== 'read-only';
  const {
    submit,
    error: createError,
    busy,
  } = useSubmit(async () => {
    if (name.trim() === '')
      throw new Error('Give the credential a name, such as the application that sends.');
    setMade(await sendJson<Created>('POST', '/v1/smtp-credentials', { name: name.trim() }));
    setName('');
    reload();
  });
  const revoke = async (c: { id: string }) => {
    setError(null);
    try {
      await sendJson('DELETE', `/v1/smtp-credentials/${encodeURIComponent(c.id)}`);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    reload();
  };
  return (
    <section>
      <h1>SMTP credentials of {session.tenant.name}</h1>
      <p className="small">
        Applications submit mail to the gateway with these (STARTTLS, then AUTH PLAIN or LOGIN); the gateway
        signs it with the sender domain&apos;s DKIM key.
      </p>
      {made && (
        <SecretPanel
          id="new-smtp-password"
          label={`SMTP password for ${made.username}`}
          value={made.password}
          onClose={() => setMade(null)}
        >
          <p className="small">
            Username <code>{made.username}</code> (shown in the list below).
          </p>
        </SecretPanel>
      )}
      {error && <ErrorMessage error={error} />}
      <Show loaded={list} what="the SMTP credentials">
        {({ credentials }) => (
          <CredentialTable what="SMTP credential" items={credentials} canRevoke={manage} onRevoke={revoke} />
        )}
      </Show>
      {manage && (
        <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-smtp-h">
          <h2 id="new-smtp-h">Create SMTP credentials</h2>
          <label htmlFor="smtp-name">Name</label>
          <input
            id="smtp-name"
            autoComplete="off"
            maxLength={100}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          {createError && <ErrorMessage error={createError} />}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create the credentials'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
