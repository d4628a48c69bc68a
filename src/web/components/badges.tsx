import type { Grade } from '../api/types.ts';

const GRADE_TEXT: Record<Grade, string> = {
  perfect: 'perfect',
  ok: 'ok',
  error: 'error',
  temperror: 'temporary error',
};

/** A grade as a coloured badge whose text says the grade (colour is never the only signal). */
export function GradeBadge({ grade }: { grade: Grade }) {
  return <span className={`badge grade-${grade}`}>{GRADE_TEXT[grade]}</span>;
}

export function Badge({
  tone,
  children,
  title,
}: {
  tone: 'good' | 'warn' | 'bad' | 'info' | 'plain';
  children: string;
  title?: string;
}) {
  return (
    <span className={`badge tone-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function VerifiedBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <Badge tone="good" title="The DNS shows this domain's token">
      verified
    </Badge>
  ) : (
    <Badge tone="warn" title="senderd has not yet seen this domain's token in its DNS">
      not verified
    </Badge>
  );
}

/** "3 perfect · 1 error" for the record grades of the latest check. */
export function RecordCounts({ records }: { records: Record<Grade, number> }) {
  const parts = (['perfect', 'ok', 'error', 'temperror'] as const).filter((g) => records[g] > 0);
  if (parts.length === 0) return <span className="muted">not checked</span>;
  return (
    <span className="counts">
      {parts.map((g) => (
        <span key={g} className={`count grade-text-${g}`}>
          {records[g]} {GRADE_TEXT[g]}
        </span>
      ))}
    </span>
  );
}
