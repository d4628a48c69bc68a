import { useState } from 'react';
import { enc, sendJson } from '../api/client.ts';
import type { Domain } from '../api/types.ts';
import { ErrorMessage } from './async.tsx';
import { useSubmit } from './submit.tsx';

type Sending = NonNullable<Domain['settings']['sending']>;

const OFF: Sending = { clicks: false, opens: false, bulk: false, feedbackId: null };

/**
 * What the gateway does to the domain's mail on the way out (docs/tracking-sending.md): click tracking, the open
 * pixel, the bulk stream (RFC 8058 one-click List-Unsubscribe) and the Feedback-ID parts, saved with
 * PATCH /v1/domains/{domain} `sending`. Says, as the API and the gateway do, when a setting cannot apply yet:
 * clicks, opens and bulk need the click host (the API refuses them without it), and the gateway applies them only
 * once the domain is verified (Feedback-ID apart).
 */
export function SendingSettings({
  domain,
  readOnly,
  onSaved,
}: {
  domain: Domain;
  readOnly: boolean;
  onSaved?: (d: Domain) => void;
}) {
  const current = domain.settings.sending ?? OFF;
  const [clicks, setClicks] = useState(current.clicks);
  const [opens, setOpens] = useState(current.opens);
  const [bulk, setBulk] = useState(current.bulk);
  const [feedbackId, setFeedbackId] = useState(current.feedbackId ?? '');
  const [saved, setSaved] = useState<Domain | null>(null);
  const shown = saved ?? domain;
  const clickHost = `${shown.settings.clickLabel}.${shown.name}`;
  const planned = shown.settings.tracking;
  const { submit, error, busy } = useSubmit(async () => {
    setSaved(null);
    const d = await sendJson<Domain>('PATCH', `/v1/domains/${enc(domain.name)}`, {
      sending: {
        ...(planned ? { clicks, opens, bulk } : {}),
        feedbackId: feedbackId.trim() === '' ? null : feedbackId.trim(),
      },
    });
    const s = d.settings.sending ?? OFF;
    setClicks(s.clicks);
    setOpens(s.opens);
    setBulk(s.bulk);
    setFeedbackId(s.feedbackId ?? '');
    setSaved(d);
    onSaved?.(d);
  });
  const needsHost = planned ? undefined : 'sending-no-host';
  return (
    <form
      className="card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="sending-settings-h"
    >
      <h3 id="sending-settings-h">What the gateway adds to this domain’s mail</h3>
      {!planned && (
        <p className="warn-text small" id="sending-no-host" role="note">
          Does not apply: click tracking, the open pixel and the one-click unsubscribe URL need the click host{' '}
          <code>{clickHost}</code>, which this domain does not plan (tracking is off).
        </p>
      )}
      {planned && !shown.verified && (
        <p className="warn-text small" id="sending-unverified" role="note">
          Not applied yet: the domain is not verified, so the gateway sends its mail as submitted (apart from
          Feedback-ID) until its records, the CNAME of <code>{clickHost}</code> among them, are in place.
        </p>
      )}
      <fieldset disabled={readOnly || busy}>
        <legend>Tracking and the bulk stream</legend>
        <div className="checkbox">
          <input
            id="sending-clicks"
            type="checkbox"
            checked={clicks}
            disabled={!planned}
            aria-describedby={needsHost}
            onChange={(e) => setClicks(e.target.checked)}
          />
          <label htmlFor="sending-clicks">Track clicks (links lead through {clickHost})</label>
        </div>
        <div className="checkbox">
          <input
            id="sending-opens"
            type="checkbox"
            checked={opens}
            disabled={!planned}
            aria-describedby={needsHost}
            onChange={(e) => setOpens(e.target.checked)}
          />
          <label htmlFor="sending-opens">Track opens (a 1×1 image at the end of HTML parts)</label>
        </div>
        <div className="checkbox">
          <input
            id="sending-bulk"
            type="checkbox"
            checked={bulk}
            disabled={!planned}
            aria-describedby={needsHost}
            onChange={(e) => setBulk(e.target.checked)}
          />
          <label htmlFor="sending-bulk">Bulk mail (add a one-click List-Unsubscribe, RFC 8058)</label>
        </div>
        <label htmlFor="sending-feedback-id">Feedback-ID</label>
        <input
          id="sending-feedback-id"
          autoComplete="off"
          maxLength={194}
          placeholder="newsletter:acme"
          aria-describedby="sending-feedback-id-help"
          value={feedbackId}
          onChange={(e) => setFeedbackId(e.target.value)}
        />
        <p className="help" id="sending-feedback-id-help">
          One to three parts separated by colons (Gmail’s <code>a:b:c</code>); the gateway adds the tenant as
          the SenderId. Empty: no Feedback-ID field.
        </p>
      </fieldset>
      {error && <ErrorMessage error={error} />}
      {saved && (
        <p role="status" className="small">
          Saved.
        </p>
      )}
      {!readOnly && (
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save sending settings'}
          </button>
        </div>
      )}
    </form>
  );
}
