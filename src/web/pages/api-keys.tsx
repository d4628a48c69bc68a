import { useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { ApiKey, Session } from '../api/types.ts';
import { ErrorMessage, Show, useLoad } from '../components/async.tsx';
import { CredentialTable } from '../components/credential-table.tsx';
import { SecretPanel } from '../components/secret-panel.tsx';
import { useSubmit } from '../components/submit.tsx';

/** Whether the session may see the tenant's API keys: owners and operators; members get 403 from the API. */
export function seesApiKeys(s: Session): boolean {
  return s.user.role !== 'member';
}

/** Whether it may create and revoke them: not a member, and not an operator's read-only view. */
export function managesApiKeys(s: Session): boolean {
  return seesApiKeys(s) && s.access !== 'read-only';
}

function ApiKeys({ session }: { session: Session }) {
  const [keys, reload] = useLoad(() => getJson<{ apiKeys: ApiKey[] }>('/v1/api-keys'), 'api-keys');
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const manage = managesApiKeys(session);
  const {
    submit,
    error: createError,
    busy,
  } = useSubmit(async () => {
    if (name.trim() === '') throw new Error('Give the key a name, such as the program that will use it.');
    const r = await sendJson<{ apiKey: ApiKey; key: string }>('POST', '/v1/api-keys', { name: name.trim() });
    setMade({ name: r.apiKey.name, key: r.key });
    setName('');
    reload();
  });
  const revoke = async (k: { id: string }) => {
    setError(null);
    try {
      await sendJson('DELETE', `/v1/api-keys/${encodeURIComponent(k.id)}`);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    reload();
  };
  return (
    <>
      {made && (
        <SecretPanel
          id="new-api-key"
          label={`API key ${made.name}`}
          value={made.key}
          onClose={() => setMade(null)}
        >
          <p className="small">
            Programs send it as <code>Authorization: Bearer …</code>. It acts for tenant{' '}
            <strong>{session.tenant.name}</strong> with an owner&apos;s rights.
          </p>
        </SecretPanel>
      )}
      {error && <ErrorMessage error={error} />}
      <Show loaded={keys} what="the API keys">
        {({ apiKeys }) => (
          <CredentialTable what="API key" items={apiKeys} canRevoke={manage} onRevoke={revoke} />
        )}
      </Show>
      {manage && (
        <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-key-h">
          <h2 id="new-key-h">Create an API key</h2>
          <label htmlFor="api-key-name">Name</label>
          <input
            id="api-key-name"
            autoComplete="off"
            maxLength={100}
            required
            aria-describedby="api-key-name-help"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <p className="help" id="api-key-name-help">
            What will use it, such as &quot;deploy script&quot;: the name helps you find it when you revoke
            it.
          </p>
          {createError && <ErrorMessage error={createError} />}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create the key'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

/** The tenant's API keys for the REST API: owners list, create (the key shown once) and revoke them. */
export function ApiKeysPage({ session }: { session: Session }) {
  return (
    <section>
      <h1>API keys of {session.tenant.name}</h1>
      {seesApiKeys(session) ? (
        <ApiKeys session={session} />
      ) : (
        <p className="message info" role="note">
          Only owners of {session.tenant.name} can see and manage API keys. Ask an owner for one.
        </p>
      )}
    </section>
  );
}
