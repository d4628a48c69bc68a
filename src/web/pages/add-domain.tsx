import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, enc, getJson, sendJson } from '../api/client.ts';
import type { Domain, DomainCheck, RecordPlan } from '../api/types.ts';
import { ErrorMessage } from '../components/async.tsx';
import { CheckResults } from '../components/check-results.tsx';
import { Link } from '../components/link.tsx';
import { ApplyForMe } from '../components/apply-for-me.tsx';
import { RecordPlanTable } from '../components/record-plan.tsx';
import { domainPath } from '../router.ts';

const STEPS = ['Domain', 'Bounces and clicks', 'Records', 'Check'] as const;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The add-domain wizard: name → labels and tracking → the records to copy → a live check. */
export function AddDomainPage() {
  const [step, setStep] = useState(1);
  const [name, setName] = useState('');
  const [bounceLabel, setBounceLabel] = useState('bounce');
  const [clickLabel, setClickLabel] = useState('clicks');
  const [tracking, setTracking] = useState(true);
  // The labels are sent only when changed, so that the platform's configured defaults apply otherwise.
  const [labelsEdited, setLabelsEdited] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [domain, setDomain] = useState<Domain | null>(null);
  const [plan, setPlan] = useState<RecordPlan | null>(null);
  const [check, setCheck] = useState<DomainCheck | null>(null);
  const [how, setHow] = useState<'copy' | 'apply'>('copy');
  const heading = useRef<HTMLHeadingElement>(null);

  // Each step's heading takes the focus, so keyboard and screen-reader users start at the top of the new step.
  useEffect(() => heading.current?.focus(), [step]);

  const next = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim().replace(/\.$/, '');
    if (!trimmed.includes('.')) {
      setNameError('Enter a whole domain name, such as example.com or news.example.com.');
      return;
    }
    setName(trimmed);
    setNameError(null);
    setStep(2);
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await sendJson<Domain>('POST', '/v1/domains', {
        name,
        tracking,
        ...(labelsEdited ? { bounceLabel, clickLabel } : {}),
      });
      setDomain(created);
      setPlan(await getJson<RecordPlan>(`/v1/domains/${enc(created.name)}/records`));
      setStep(3);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'invalid_domain' || err.code === 'conflict')) {
        setNameError(err.message);
        setStep(1);
      } else setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const runCheck = async () => {
    if (domain === null) return;
    setBusy(true);
    setError(null);
    try {
      setCheck(await sendJson<DomainCheck>('POST', `/v1/domains/${enc(domain.name)}/check`));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  // Step 4 is the check: arriving there runs it once by itself (the button runs it again).
  const arrived = useRef(false);
  useEffect(() => {
    if (step !== 4) {
      arrived.current = false;
      return;
    }
    if (arrived.current) return;
    arrived.current = true;
    // runCheck is made anew each render; arriving at step 4, not a new runCheck, is what runs it.
    void runCheck();
  }, [step]);

  const labelsValid = LABEL.test(bounceLabel) && LABEL.test(clickLabel) && bounceLabel !== clickLabel;

  return (
    <section className="wizard">
      <h1>Add a sender domain</h1>
      <ol className="stepper">
        {STEPS.map((title, i) => (
          <li
            key={title}
            aria-current={step === i + 1 ? 'step' : undefined}
            className={step > i + 1 ? 'done' : undefined}
          >
            <span className="number">{i + 1}</span> {title}
          </li>
        ))}
      </ol>

      {step === 1 && (
        <form onSubmit={next} noValidate>
          <h2 ref={heading} tabIndex={-1}>
            Step 1 of 4: which domain will you send from?
          </h2>
          <label htmlFor="domain-name">Sender domain</label>
          <input
            id="domain-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="news.example.com"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="domain-advice"
            aria-invalid={nameError !== null}
            autoFocus
          />
          {nameError && (
            <p className="message error" role="alert">
              {nameError}
            </p>
          )}
          <div id="domain-advice" className="advice">
            <h3>Tip: use a subdomain</h3>
            <p>
              Sending from a subdomain such as <code>news.example.com</code> or <code>mail.example.com</code>{' '}
              keeps the rest of your mail set-up untouched: the mail your people send from{' '}
              <code>example.com</code>, its SPF record and its DMARC policy stay exactly as they are, and the
              DMARC rollout here cannot affect them. The subdomain gets its own reputation too.
            </p>
            <p>Use the domain itself only if the mail must come from exactly that address.</p>
          </div>
          <button type="submit">Next</button>
        </form>
      )}

      {step === 2 && (
        <form onSubmit={(e) => void create(e)}>
          <h2 ref={heading} tabIndex={-1}>
            Step 2 of 4: bounces, clicks and tracking
          </h2>
          <label htmlFor="bounce-label">Bounce (return-path) host</label>
          <div className="suffix-input">
            <input
              id="bounce-label"
              value={bounceLabel}
              onChange={(e) => {
                setBounceLabel(e.target.value.toLowerCase());
                setLabelsEdited(true);
              }}
              aria-describedby="bounce-help"
            />
            <span>.{name}</span>
          </div>
          <p id="bounce-help" className="help">
            Bounces come back to this host, and it is the envelope sender receivers check SPF for. Pick a
            label not in use yet.
          </p>
          <label htmlFor="click-label">Click-tracking host</label>
          <div className="suffix-input">
            <input
              id="click-label"
              value={clickLabel}
              onChange={(e) => {
                setClickLabel(e.target.value.toLowerCase());
                setLabelsEdited(true);
              }}
              aria-describedby="click-help"
            />
            <span>.{name}</span>
          </div>
          <p id="click-help" className="help">
            Links in your mail are rewritten to this host, so they show your own domain.
          </p>
          <div className="checkbox">
            <input
              id="tracking"
              type="checkbox"
              checked={tracking}
              onChange={(e) => setTracking(e.target.checked)}
            />
            <label htmlFor="tracking">Track clicks and opens</label>
          </div>
          {!labelsValid && (
            <p className="message error" role="alert">
              Each host is one DNS label (a-z, 0-9 and inner hyphens), and the two must differ.
            </p>
          )}
          {error && <ErrorMessage error={error} />}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setStep(1)}>
              Back
            </button>
            <button type="submit" disabled={busy || !labelsValid}>
              {busy ? 'Adding…' : 'Add the domain and show its records'}
            </button>
          </div>
        </form>
      )}

      {step === 3 && plan && (
        <div>
          <h2 ref={heading} tabIndex={-1}>
            Step 3 of 4: create these records in your DNS
          </h2>
          <div className="choice" role="group" aria-label="How to create the records">
            <button type="button" aria-pressed={how === 'copy'} onClick={() => setHow('copy')}>
              Copy these records
            </button>
            <button type="button" aria-pressed={how === 'apply'} onClick={() => setHow('apply')}>
              Apply for me
            </button>
          </div>
          {how === 'copy' ? <RecordPlanTable plan={plan} /> : <ApplyForMe domain={plan.domain} />}
          <div className="actions">
            <button type="button" onClick={() => setStep(4)}>
              {how === 'copy' ? 'I have created them: next' : 'Next: check the DNS'}
            </button>
          </div>
        </div>
      )}

      {step === 4 && domain && (
        <div>
          <h2 ref={heading} tabIndex={-1}>
            Step 4 of 4: check the DNS
          </h2>
          <p>
            senderd asks your domain’s own nameservers and public resolvers, the way receivers will. New
            records can take a while to appear everywhere: check again whenever you like.
          </p>
          <div className="actions">
            <button type="button" onClick={() => void runCheck()} disabled={busy}>
              {busy ? 'Checking…' : check ? 'Check again' : 'Check now'}
            </button>
            <button type="button" className="secondary" onClick={() => setStep(3)}>
              Back to the records
            </button>
          </div>
          <div aria-live="polite">
            {busy && <p role="status">Checking {domain.name}…</p>}
            {error && <ErrorMessage error={error} />}
            {check && !busy && <CheckResults check={check} />}
          </div>
          <p>
            <Link href={domainPath(domain.name)}>Open the page of {domain.name}</Link> for keys, the DMARC
            rollout, reports and events.
          </p>
        </div>
      )}
    </section>
  );
}
