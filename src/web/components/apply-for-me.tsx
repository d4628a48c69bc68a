import { useState, type FormEvent } from 'react';
import { enc, getJson, sendJson } from '../api/client.ts';
import type { DnsApplyResult, DomainConnectOffer } from '../api/types.ts';
import { ErrorMessage, useLoad } from './async.tsx';

const MARK: Record<DnsApplyResult['items'][number]['action'], string> = {
  add: 'add',
  replace: 'merge',
  unchanged: 'already there',
  conflict: 'left alone',
};

/**
 * "Apply for me": the customer's DNS provider applies the records through Domain Connect (a signed link to its
 * consent page), or senderd writes them with an RFC 2136 update to the customer's own primary. The TSIG secret
 * typed here goes to the API for this one request; it is never stored or shown again.
 */
export function ApplyForMe({ domain }: { domain: string }) {
  const [offer] = useLoad(
    () => getJson<DomainConnectOffer>(`/v1/domains/${enc(domain)}/domain-connect`),
    domain,
  );
  const [server, setServer] = useState('');
  const [keyName, setKeyName] = useState('');
  const [algorithm, setAlgorithm] = useState('hmac-sha256');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [result, setResult] = useState<DnsApplyResult | null>(null);

  const send = async (dryRun: boolean, e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const tsigKey = keyName.trim() === '' ? null : { name: keyName.trim(), algorithm, secret };
      setResult(
        await sendJson<DnsApplyResult>('POST', `/v1/domains/${enc(domain)}/dns-apply`, {
          server: server.trim(),
          tsigKey,
          dryRun,
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="apply-for-me">
      <h3>Through your DNS provider (Domain Connect)</h3>
      {offer.state === 'loading' && <p role="status">Looking for your DNS provider…</p>}
      {offer.state === 'error' && <ErrorMessage error={offer.error} />}
      {offer.state === 'ready' && offer.value.kind === 'available' && (
        <p>
          <a className="button" href={offer.value.applyUrl} target="_blank" rel="noopener noreferrer">
            Apply with {offer.value.provider}
          </a>{' '}
          You confirm the change on {offer.value.provider}’s own page; then run the check.
        </p>
      )}
      {offer.state === 'ready' && offer.value.kind === 'unavailable' && (
        <p className="help">Not available for this domain: {offer.value.reason}.</p>
      )}

      <h3>On your own DNS server (RFC 2136 dynamic update)</h3>
      <form className="plain" onSubmit={(e) => void send(false, e)}>
        <label htmlFor="apply-server">Primary server (host or host:port)</label>
        <input
          id="apply-server"
          value={server}
          onChange={(e) => setServer(e.target.value)}
          placeholder="ns1.example.com"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <label htmlFor="apply-key-name">TSIG key name</label>
        <input
          id="apply-key-name"
          value={keyName}
          onChange={(e) => setKeyName(e.target.value)}
          spellCheck={false}
        />
        <label htmlFor="apply-algorithm">Algorithm</label>
        <select id="apply-algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
          <option>hmac-sha256</option>
          <option>hmac-sha384</option>
          <option>hmac-sha512</option>
        </select>
        <label htmlFor="apply-secret">TSIG secret (base64)</label>
        <input
          id="apply-secret"
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoComplete="off"
        />
        <p className="help">The secret is used for this update only: senderd does not keep it.</p>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={busy || server.trim() === ''}
            onClick={() => void send(true)}
          >
            Show the difference
          </button>
          <button type="submit" disabled={busy || server.trim() === ''}>
            {busy ? 'Working…' : 'Apply'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {error && <ErrorMessage error={error} />}
        {result && (
          <div>
            <table aria-label={`Changes for ${domain}`}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th>Value</th>
                  <th>What happens</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((i) => (
                  <tr key={`${i.name} ${i.type}`}>
                    <td>
                      <code>{i.name}</code>
                    </td>
                    <td>{i.type}</td>
                    <td>
                      <code>{i.value}</code>
                    </td>
                    <td>
                      {MARK[i.action]}
                      {i.reason && <span className="help"> ({i.reason})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p
              role={result.outcome !== null && result.outcome.kind !== 'applied' ? 'alert' : 'status'}
              className={
                result.outcome !== null && result.outcome.kind !== 'applied' ? 'message error' : 'message'
              }
            >
              {result.message}
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
