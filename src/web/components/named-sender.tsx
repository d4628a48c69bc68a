import type { ReportSource } from '../api/types.ts';
import { Badge } from './badges.tsx';
import { CopyButton } from './copy-button.tsx';

type Sender = NonNullable<ReportSource['sender']>;

const DMARC_TEXT: Record<Sender['dmarc'], { tone: 'good' | 'warn' | 'bad'; text: string }> = {
  all: { tone: 'good', text: 'passes' },
  some: { tone: 'warn', text: 'partly fails' },
  none: { tone: 'bad', text: 'fails' },
};

const ALIGNED_TEXT: Record<Sender['dkimAligned'], string> = {
  all: 'aligned',
  some: 'partly aligned',
  none: 'not aligned',
};

/**
 * Who a report source is (src/senders' catalogue): the service's name, whether its mail passes DMARC for this
 * domain and by which method, and, when it fails, the one change that makes it pass with the records to copy.
 * The platform's own addresses have no sender: the record plan already covers them.
 */
export function NamedSenderCell({ source }: { source: ReportSource }) {
  const sender = source.sender;
  if (sender === null) return <span className="muted small">this platform</span>;
  const status = DMARC_TEXT[sender.dmarc];
  return (
    <div className="named-sender">
      <div>
        {sender.service === null ? (
          <span className="muted">not a known service</span>
        ) : (
          <a
            href={sender.service.source}
            target="_blank"
            rel="noreferrer noopener"
            title={sender.matchedBy.join('; ')}
          >
            <strong>{sender.service.name}</strong>
          </a>
        )}{' '}
        <Badge tone={status.tone}>{status.text}</Badge>
      </div>
      <div className="muted small">
        DKIM {ALIGNED_TEXT[sender.dkimAligned]} · SPF {ALIGNED_TEXT[sender.spfAligned]}
        {sender.confidence === 'weak' ? ' · named from weak evidence' : ''}
      </div>
      {sender.fix !== null && (
        <div
          className="sender-fix small"
          role="note"
          aria-label={`How to fix ${sender.service?.name ?? 'this source'}`}
        >
          <span>{sender.fix.action}</span>
          {sender.fix.mechanism !== null && (
            <CopyButton value={sender.fix.mechanism} label={sender.fix.mechanism} />
          )}
          {sender.fix.records.map((r) => (
            <div key={r.name}>
              <code>{r.name}</code> {r.type} <code>{r.value}</code>{' '}
              <CopyButton value={r.value} label={`value of ${r.name} ${r.type}`} />
            </div>
          ))}
          {sender.note !== null && <div className="muted">{sender.note}</div>}
        </div>
      )}
    </div>
  );
}
