import { enc, getJson } from '../api/client.ts';
import type { BimiLogo } from '../api/types.ts';
import { Show, formatTime, useLoad } from './async.tsx';

/**
 * The domain's BIMI logo: where the edge serves it (the `l=` of the BIMI record, published while DMARC is
 * enforced), or how to upload one. Uploads go through the CLI or the API, which check the SVG first.
 */
export function BimiPanel({ domain }: { domain: string }) {
  const [bimi] = useLoad(() => getJson<BimiLogo>(`/v1/domains/${enc(domain)}/bimi/logo`), domain);
  return (
    <Show loaded={bimi} what="the BIMI logo">
      {(v) =>
        v.logo === null ? (
          <p className="muted">
            No logo. <code>senderd bimi logo {v.domain} logo.svg</code> uploads one (SVG Tiny PS, square, at
            most 32 KB).
          </p>
        ) : (
          <dl className="observed">
            <dt>Served at</dt>
            <dd>
              <code>{v.url ?? 'no HTTPS host: turn tracking or MTA-STS on'}</code>
            </dd>
            <dt>File</dt>
            <dd>
              {v.logo.bytes} bytes, uploaded {formatTime(v.logo.uploadedAt)}; published as <code>l=</code>{' '}
              while the DMARC policy is enforced
            </dd>
          </dl>
        )
      }
    </Show>
  );
}
