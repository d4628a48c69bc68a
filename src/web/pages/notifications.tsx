import { useState } from 'react';
import { getJson, sendJson } from '../api/client.ts';
import type { Notifications, Session } from '../api/types.ts';
import { ErrorMessage, Show, useLoad } from '../components/async.tsx';
import { Deliveries } from '../components/deliveries.tsx';
import { SecretPanel } from '../components/secret-panel.tsx';
import { useSubmit } from '../components/submit.tsx';

type Severity = Notifications['minSeverity'];

/** The form over loaded settings: the webhook URL, the e-mail recipients (one a line), the minimum severity. */
function NotificationForm({
  current,
  readOnly,
  onSaved,
}: {
  current: Notifications;
  readOnly: boolean;
  onSaved: (v: Notifications) => void;
}) {
  const [webhookUrl, setWebhookUrl] = useState(current.webhookUrl ?? '');
  const [emails, setEmails] = useState(current.emailTo.join('\n'));
  const [minSeverity, setMinSeverity] = useState<Severity>(current.minSeverity);
  const [rotate, setRotate] = useState(false);
  const [saved, setSaved] = useState(false);
  const { submit, error, busy } = useSubmit(async () => {
    setSaved(false);
    const v = await sendJson<Notifications>('PUT', '/v1/notifications', {
      webhookUrl: webhookUrl.trim() === '' ? null : webhookUrl.trim(),
      emailTo: emails
        .split(/[\s,]+/)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
      minSeverity,
      ...(rotate ? { rotateSecret: true } : {}),
    });
    setRotate(false);
    setSaved(true);
    onSaved(v);
  });
  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="where-h">
      <h2 id="where-h">Where events go</h2>
      <fieldset disabled={readOnly}>
        <label htmlFor="webhook-url">Webhook URL</label>
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://hooks.example.com/senderd"
          aria-describedby="webhook-url-help"
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.target.value)}
        />
        <p className="help" id="webhook-url-help">
          Each event is POSTed as JSON with a <code>Senderd-Signature</code> header (HMAC-SHA256 with the
          webhook secret). Empty turns webhooks off.
          {current.webhookSecretSet ? ' A secret is set.' : ''}
        </p>
        {current.webhookSecretSet && (
          <label className="checkbox">
            <input type="checkbox" checked={rotate} onChange={(e) => setRotate(e.target.checked)} />
            Draw a new webhook secret (the old one stops working)
          </label>
        )}
        <label htmlFor="email-to">E-mail addresses</label>
        <textarea
          id="email-to"
          rows={3}
          aria-describedby="email-to-help"
          value={emails}
          onChange={(e) => setEmails(e.target.value)}
        />
        <p className="help" id="email-to-help">
          One a line, at most 10. Empty sends no e-mail.
        </p>
        <label htmlFor="min-severity">Send events at least this severe</label>
        <select
          id="min-severity"
          value={minSeverity}
          onChange={(e) => setMinSeverity(e.target.value as Severity)}
        >
          <option value="info">info: everything</option>
          <option value="warning">warning</option>
          <option value="critical">critical only</option>
        </select>
      </fieldset>
      {error && <ErrorMessage error={error} />}
      {saved && (
        <p className="message info" role="status">
          Saved.
        </p>
      )}
      {!readOnly && (
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      )}
    </form>
  );
}

/** Where the tenant's events are delivered (webhook and e-mail), as `senderd notifications` sets it. */
export function NotificationsPage({ session }: { session: Session }) {
  const [settings, , setSettings] = useLoad(
    () => getJson<Notifications>('/v1/notifications'),
    'notifications',
  );
  const [secret, setSecret] = useState<string | null>(null);
  const readOnly = session.access === 'read-only';
  return (
    <section>
      <h1>Notifications of {session.tenant.name}</h1>
      <p className="small">
        Events (a key published or activated, a DNS record broken or fixed, a DMARC step taken, a bounce) are
        listed on each domain&apos;s page; here you choose where they are also sent.
      </p>
      {secret !== null && (
        <SecretPanel
          id="webhook-secret"
          label="Webhook secret"
          value={secret}
          onClose={() => setSecret(null)}
        >
          <p className="small">Your receiver checks each request&apos;s signature with it.</p>
        </SecretPanel>
      )}
      <Show loaded={settings} what="the notification settings">
        {(v) => (
          <>
            <NotificationForm
              key={`${v.webhookUrl}|${v.emailTo.join(',')}|${v.minSeverity}|${v.webhookSecretSet}`}
              current={v}
              readOnly={readOnly}
              onSaved={(next) => {
                const { webhookSecret, ...view } = next;
                if (webhookSecret !== undefined) setSecret(webhookSecret);
                setSettings(view);
              }}
            />
            <Deliveries canSend={!readOnly} hasChannel={v.webhookUrl !== null || v.emailTo.length > 0} />
          </>
        )}
      </Show>
    </section>
  );
}
