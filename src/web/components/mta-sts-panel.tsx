import { enc, getJson } from '../api/client.ts';
import type { MtaSts } from '../api/types.ts';
import { Show, formatTime, useLoad } from './async.tsx';
import { Badge } from './badges.tsx';

const TONE: Record<NonNullable<MtaSts['mode']>, 'good' | 'warn' | 'info'> = {
  testing: 'info',
  enforce: 'good',
  none: 'warn',
};

/**
 * The domain's MTA-STS policy (RFC 8461) at a glance: the mode, the MX patterns against the MX hosts in the DNS,
 * the policy's address and id. Changes go through the CLI or the API, which check the TLS reports first.
 */
export function MtaStsPanel({ domain }: { domain: string }) {
  const [sts] = useLoad(() => getJson<MtaSts>(`/v1/domains/${enc(domain)}/mta-sts`), domain);
  return (
    <Show loaded={sts} what="MTA-STS">
      {(v) =>
        !v.enabled ? (
          <p className="muted">
            Off. <code>senderd mta-sts enable {v.domain}</code> starts it in testing mode with your MX hosts.
          </p>
        ) : (
          <dl className="observed">
            <dt>Mode</dt>
            <dd>
              <Badge tone={TONE[v.mode ?? 'none']}>{v.mode ?? 'none'}</Badge> max_age {v.maxAge} s, id{' '}
              <code>{v.policyId}</code>
            </dd>
            <dt>Policy</dt>
            <dd>
              <code>{v.policyUrl}</code>
            </dd>
            <dt>MX patterns</dt>
            <dd>{v.mx.join(', ')}</dd>
            <dt>MX hosts in DNS</dt>
            <dd>
              {v.checkedMx.join(', ') || '-'}{' '}
              <span className="muted small">looked up {formatTime(v.checkedAt)}</span>
              {v.uncoveredMx.length > 0 && (
                <div className="small warn-text">
                  Not in the policy: {v.uncoveredMx.join(', ')}. Enforce is refused until they are taken in.
                </div>
              )}
            </dd>
          </dl>
        )
      }
    </Show>
  );
}
