const CRLF = '\r\n';

/**
 * An ARF feedback report (RFC 5965 §2): a multipart/report with a human-readable part, the machine-readable
 * `message/feedback-report` fields, and the original message (or its headers) as a receiver's feedback loop sends it.
 */
export function arfReport(options: {
  from: string;
  to?: string;
  fields: readonly string[];
  original: string;
  originalType?: string;
}): string {
  return [
    `From: ${options.from}`,
    `To: ${options.to ?? 'fbl@reports'}`,
    'Subject: complaint about message',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="arf_b"',
    '',
    '--arf_b',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report.',
    '',
    '--arf_b',
    'Content-Type: message/feedback-report',
    '',
    ...options.fields,
    '',
    '--arf_b',
    `Content-Type: ${options.originalType ?? 'message/rfc822'}`,
    'Content-Disposition: inline',
    '',
    options.original,
    '--arf_b--',
    '',
  ].join(CRLF);
}
