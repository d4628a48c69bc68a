import { useState } from 'react';
import { ApiError, enc, getJson, sendJson } from '../api/client.ts';
import type { DmarcImpact, DmarcView, Reading } from '../api/types.ts';
import { ErrorMessage, Show, formatTime, useLoad } from './async.tsx';

function describe(reading: Reading | null, who: string): string {
  if (reading === null) return `${who}: no policy applied.`;
  const test = reading.testMode ? ' in test mode' : '';
  return `${who}: published p=${reading.published}${test}; failing mail gets ${reading.applied}${reading.percent < 100 ? ` for ${reading.percent}% of it` : ''}.`;
}

function Impact({ domain, step, reportsVersion }: { domain: string; step: number; reportsVersion: number }) {
  const [impact] = useLoad(
    () => getJson<DmarcImpact>(`/v1/domains/${enc(domain)}/dmarc/impact?days=14&step=${step}`),
    `${domain}|${step}|${reportsVersion}`,
  );
  return (
    <Show loaded={impact} what="the impact preview">
      {(i) => (
        <div className="impact" aria-live="polite">
          <h4>Impact of {i.label}, on the last 14 days</h4>
          {!i.reportsAvailable ? (
            <p className="muted">
              No report statistics to preview this with: the preview needs DMARC aggregate reports.
            </p>
          ) : (
            <>
              <p>
                Of {i.messages.toLocaleString('en')} messages, {i.failing.toLocaleString('en')} fail DMARC.
                RFC 7489 receivers would quarantine {i.rfc7489.quarantine.toLocaleString('en')} and reject{' '}
                {i.rfc7489.reject.toLocaleString('en')}; RFC 9989 receivers would quarantine{' '}
                {i.rfc9989.quarantine.toLocaleString('en')} and reject {i.rfc9989.reject.toLocaleString('en')}
                .
              </p>
              {i.sources.length > 0 && (
                <ul className="small">
                  {i.sources.slice(0, 5).map((s) => (
                    <li key={s.ip}>
                      {s.ip} ({s.class}
                      {s.reverseName ? `, ${s.reverseName}` : ''}): {s.failing.toLocaleString('en')} failing
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
    </Show>
  );
}

/** The DMARC ladder: where the domain stands, a preview of the next step's impact, stepping, the autopilot, decisions. */
export function DmarcLadder({
  domain,
  readOnly,
  reportsVersion = 0,
}: {
  domain: string;
  readOnly: boolean;
  /** Changes when reports were imported on this page, so the impact preview reloads. */
  reportsVersion?: number;
}) {
  const [view, , setView] = useLoad(() => getJson<DmarcView>(`/v1/domains/${enc(domain)}/dmarc`), domain);
  const [proposed, setProposed] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  /** A step up the server would take only with force: why, shown with its impact until confirmed or cancelled. */
  const [confirm, setConfirm] = useState<{ to: number; reasons: string[] } | null>(null);

  const act = async (run: () => Promise<DmarcView | null>) => {
    setBusy(true);
    setError(null);
    try {
      const after = await run();
      if (after !== null) {
        setView(after);
        setProposed(null);
        setConfirm(null);
      }
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const stepTo = (to: number | 'back', force = false) =>
    act(async () => {
      try {
        return await sendJson<DmarcView>('POST', `/v1/domains/${enc(domain)}/dmarc/step`, {
          to,
          reason: force ? 'set in the dashboard, confirmed' : 'set in the dashboard',
          ...(force ? { force: true } : {}),
        });
      } catch (err) {
        if (typeof to !== 'number' || !(err instanceof ApiError) || err.code !== 'confirmation_required')
          throw err;
        setConfirm({ to, reasons: err.details.map((d) => d.message) });
        return null;
      }
    });

  return (
    <Show loaded={view} what="the DMARC policy">
      {(v) => {
        const target = proposed ?? Math.min(v.step.index + 1, v.ladder.length - 1);
        const autopilot = v.autopilot.enabled === true;
        return (
          <div className="dmarc">
            <p>
              Now at step <strong>{v.step.index}</strong>: <strong>{v.step.label}</strong>. Published at{' '}
              <code>_dmarc.{v.domain}</code>:
            </p>
            <pre className="record" aria-label="Published DMARC record">
              {v.record}
            </pre>
            <ul className="readings small">
              <li>{describe(v.readings.rfc7489, 'RFC 7489 receivers')}</li>
              <li>{describe(v.readings.rfc9989, 'RFC 9989 receivers')}</li>
            </ul>
            <ol className="ladder" aria-label="DMARC rollout ladder">
              {v.ladder.map((s) => (
                <li key={s.index} className={`p-${s.p}${s.index < v.step.index ? ' passed' : ''}`}>
                  <button
                    type="button"
                    className="rung"
                    aria-current={s.index === v.step.index ? 'step' : undefined}
                    aria-pressed={s.index === target && s.index !== v.step.index}
                    disabled={readOnly || s.index === v.step.index}
                    onClick={() => setProposed(s.index)}
                    title={`Preview step ${s.index}: ${s.label}`}
                  >
                    {s.label}
                  </button>
                </li>
              ))}
            </ol>
            {target !== v.step.index && confirm?.to !== target && (
              <Impact domain={domain} step={target} reportsVersion={reportsVersion} />
            )}
            {confirm?.to === target && (
              <div className="confirm" role="alertdialog" aria-labelledby="dmarc-confirm">
                <h4 id="dmarc-confirm">Confirm: move up to {v.ladder[target]?.label}?</h4>
                <p>This step could stop legitimate mail. It needs your confirmation because:</p>
                <ul>
                  {confirm.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
                <Impact domain={domain} step={target} reportsVersion={reportsVersion} />
                <div className="actions">
                  <button
                    type="button"
                    className="danger"
                    disabled={busy}
                    onClick={() => void stepTo(target, true)}
                  >
                    Move up to {v.ladder[target]?.label} anyway
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => setConfirm(null)}
                  >
                    Cancel
                  </button>
                </div>
              </div>
            )}
            {!readOnly && confirm?.to !== target && (
              <div className="actions">
                {target !== v.step.index && (
                  <button type="button" disabled={busy} onClick={() => void stepTo(target)}>
                    {target > v.step.index ? 'Move up to' : 'Move down to'} {v.ladder[target]?.label}
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  disabled={busy || v.step.index === 0}
                  onClick={() => void stepTo('back')}
                >
                  Step back one
                </button>
                <label className="checkbox inline">
                  <input
                    type="checkbox"
                    checked={autopilot}
                    disabled={busy}
                    onChange={(e) =>
                      void act(() =>
                        sendJson<DmarcView>('PATCH', `/v1/domains/${enc(domain)}/dmarc`, {
                          autopilot: { enabled: e.target.checked },
                        }),
                      )
                    }
                  />
                  Autopilot: step up when the reports allow, step back on a failure spike
                </label>
              </div>
            )}
            {error && <ErrorMessage error={error} />}
            <h4>Decisions</h4>
            {v.decisions.length === 0 ? (
              <p className="muted">No step has been taken yet.</p>
            ) : (
              <ul className="decisions">
                {v.decisions.slice(0, 20).map((d) => (
                  <li key={d.id}>
                    <span className="muted small">{formatTime(d.at)}</span> · {d.actor} · {d.action}: step{' '}
                    {d.fromStep} → {d.toStep}. {d.reason}
                    {d.checks.length > 0 && (
                      <details>
                        <summary>
                          Evidence ({d.checks.filter((c) => c.ok).length} of {d.checks.length} checks passed)
                        </summary>
                        <ul>
                          {d.checks.map((c) => (
                            <li key={c.name} className={c.ok ? 'ok' : 'failed'}>
                              {c.ok ? 'passed' : 'failed'}: {c.explanation}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      }}
    </Show>
  );
}
