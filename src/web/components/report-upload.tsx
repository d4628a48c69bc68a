import { useState, type FormEvent } from 'react';
import { uploadReport, type UploadOutcome } from '../api/reports.ts';
import { ErrorMessage } from './async.tsx';

/** Imports a report file through the reports API and lists what happened to each report in it. */
export function ReportUpload({ onUploaded, readOnly }: { onUploaded: () => void; readOnly: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [outcomes, setOutcomes] = useState<UploadOutcome[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  if (readOnly) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    try {
      setOutcomes(await uploadReport(file));
      onUploaded();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="upload" onSubmit={(e) => void submit(e)}>
      <label htmlFor="report-file">Import a report (XML, JSON, gzip, zip, .eml or mbox)</label>
      <input id="report-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <button type="submit" disabled={file === null || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {error && <ErrorMessage error={error} />}
      {outcomes && (
        <ul role="status" className="outcomes">
          {outcomes.map((o, i) => (
            <li key={i}>
              {o.status === 'stored'
                ? `Stored ${o.kind === undefined ? '' : `${o.kind} `}report ${o.reportId ?? ''} from ${o.reporter ?? 'an unknown reporter'}: ${(o.messages ?? 0).toLocaleString('en')} messages in ${o.records ?? 0} rows.`
                : o.status === 'duplicate'
                  ? `Already imported: ${o.reportId ?? ''} from ${o.reporter ?? 'an unknown reporter'}.`
                  : `Refused (${o.reason ?? 'unknown reason'}): ${o.message ?? ''}`}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
