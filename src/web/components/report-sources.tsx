import { useState } from 'react';
import type { ReportSource, SourceList } from '../api/reports.ts';
import { percent } from './async.tsx';
import { ShareBar } from './charts.tsx';
import { NamedSenderCell } from './named-sender.tsx';
import { Pager, pageOf } from './pager.tsx';

const SOURCE_PAGE = 25;

/**
 * The sending sources of a domain: their share by class, and a paged table with reverse names and pass rates.
 * The list is capped (the sources with most messages); when it is cut, the share bar counts the messages of the
 * sources left out as "not listed", so the shares are of all the window's messages, and a line says so.
 */
export function SourcesTable({ list }: { list: SourceList }) {
  const [offset, setOffset] = useState(0);
  const sources = list.sources;
  const byClass = (c: ReportSource['class']) =>
    sources.filter((s) => s.class === c).reduce((a, s) => a + s.messages, 0);
  const listed = sources.reduce((a, s) => a + s.messages, 0);
  return (
    <>
      <ShareBar
        label="Messages by source class"
        parts={[
          { name: 'this platform', className: 'class-platform', value: byClass('platform') },
          { name: 'forwarders', className: 'class-forwarder', value: byClass('forwarder') },
          { name: 'unknown', className: 'class-unknown', value: byClass('unknown') },
          ...(list.truncated
            ? [
                {
                  name: `not listed (${(list.total - sources.length).toLocaleString('en')} sources)`,
                  className: 'class-unlisted',
                  value: Math.max(0, list.messages - listed),
                },
              ]
            : []),
        ]}
      />
      {list.truncated && (
        <p className="muted small" role="note">
          Showing the {sources.length.toLocaleString('en')} sources with most messages of{' '}
          {list.total.toLocaleString('en')}; together they sent {listed.toLocaleString('en')} of{' '}
          {list.messages.toLocaleString('en')} messages.
        </p>
      )}
      <div className="table-wrap">
        <table className="sources">
          <caption className="visually-hidden">Sending sources</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Class</th>
              <th scope="col">Sender</th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                DMARC pass
              </th>
              <th scope="col" className="num">
                DKIM aligned
              </th>
              <th scope="col" className="num">
                SPF aligned
              </th>
            </tr>
          </thead>
          <tbody>
            {pageOf(sources, offset, SOURCE_PAGE).map((s) => (
              <tr key={s.sourceIp}>
                <th scope="row" data-label="Source">
                  <code>{s.sourceIp}</code>
                  <div className="muted small">{s.ptr ?? 'no reverse name'}</div>
                </th>
                <td data-label="Class">
                  <span className={`badge class-${s.class}`}>{s.class}</span>
                </td>
                <td data-label="Sender">
                  <NamedSenderCell source={s} />
                </td>
                <td data-label="Messages" className="num">
                  {s.messages.toLocaleString('en')}
                </td>
                <td data-label="DMARC pass" className="num">
                  {percent(s.dmarcPass, s.messages)}
                </td>
                <td data-label="DKIM aligned" className="num">
                  {percent(s.dkimAligned, s.messages)}
                </td>
                <td data-label="SPF aligned" className="num">
                  {percent(s.spfAligned, s.messages)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        offset={offset}
        limit={SOURCE_PAGE}
        total={sources.length}
        onChange={setOffset}
        label="Sources"
      />
    </>
  );
}
