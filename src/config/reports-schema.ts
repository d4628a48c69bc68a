import { z } from 'zod';

/** `reports`: limits of report intake, retention, source attribution, and IMAP mailboxes to poll. */
export const reportsSection = z
  .strictObject({
    maxDecompressedBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024 * 1024)
      .describe('Bytes one input may expand to, over all its archives and parts.'),
    maxCompressionRatio: z
      .number()
      .min(2)
      .default(200)
      .describe(
        'Largest output:input ratio of one gzip or zip member, checked past its first MiB (bomb guard).',
      ),
    maxRecords: z.number().int().min(1).default(10_000_000).describe('Records of one aggregate report.'),
    maxParts: z.number().int().min(1).default(200).describe('Zip entries plus MIME parts of one input.'),
    maxZipBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024)
      .describe('Largest zip archive (zips are read from their central directory, in memory).'),
    maxJsonBytes: z
      .number()
      .int()
      .min(1024)
      .default(16 * 1024 * 1024)
      .describe('Largest TLS-RPT JSON document.'),
    maxRawKeptBytes: z
      .number()
      .int()
      .min(0)
      .default(16 * 1024 * 1024)
      .describe('Raw bytes kept (gzip-compressed) of a quarantined input, from its start.'),
    maxUploadBytes: z
      .number()
      .int()
      .min(1024)
      .default(100 * 1024 * 1024)
      .describe('Largest body of POST /v1/reports/upload.'),
    failureRetentionDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Days a (redacted) failure report is kept.'),
    lateAfterHours: z
      .number()
      .int()
      .min(1)
      .default(72)
      .describe('A report arriving this long after the end of its date range counts as late.'),
    silentAfterDays: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('A reporter with no report for this many days is shown as gone silent.'),
    legacyTrustDays: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe(
        'Days after the upgrade that adds reporter verification during which reports stored before it (legacy, unverifiable) still count as DMARC autopilot evidence; 0 stops counting them at once. `senderd reports trust` trusts them for good.',
      ),
    knownForwarders: z
      .array(z.string().min(1))
      .default(['google.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'messagingengine.com', 'pobox.com'])
      .describe(
        'Known forwarders: address ranges (CIDR) or domains whose forward-confirmed reverse names mark a source as a forwarder.',
      ),
    reverseDns: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Look up reverse names of report sources.'),
        servers: z
          .array(z.string().min(1))
          .default([])
          .describe('Resolvers to ask (ip or ip:port). Empty means the system resolvers.'),
        timeoutMs: z.number().int().min(100).default(3000).describe('Timeout of one lookup.'),
        refreshDays: z.number().int().min(1).default(7).describe('Days before a name is looked up again.'),
      })
      .prefault({}),
    imap: z
      .array(
        z.strictObject({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(993),
          secure: z.boolean().default(true),
          user: z.string().min(1),
          passwordFile: z.string().min(1),
          mailbox: z.string().min(1).default('INBOX'),
          tenant: z.string().min(1).optional(),
          intervalSeconds: z.number().int().min(1).default(300),
          afterImport: z.enum(['flag', 'delete', 'move']).default('flag'),
          moveTo: z.string().min(1).default('senderd-done'),
        }),
      )
      .default([])
      .describe(
        'Existing mailboxes to poll for reports: {host, port, secure, user, passwordFile, mailbox, tenant, intervalSeconds, afterImport: flag|delete|move, moveTo}.',
      ),
  })
  .prefault({});
