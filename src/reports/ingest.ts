/**
 * The intake pipeline, one entry for every path (SMTP, upload, import, IMAP): unwrap the input, parse and store
 * each report found, and quarantine what is refused with its reason and its raw bytes (gzip-compressed, up to a
 * limit), so nothing is lost and nothing stops the pipeline.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Clock, Logger, RandomSource } from '../core/index.ts';
import { randomBase32 } from '../core/index.ts';
import { tokenOf, type DomainRef } from './attribution.ts';
import { ByteSource } from './byte-source.ts';
import { documentHandlers } from './document-handlers.ts';
import { Budget, type ReportLimits } from './limits.ts';
import type { DocumentOutcome, IngestOutcome, RefusedOutcome } from './outcome.ts';
import type { IntakePath, ReportRepository } from './ports.ts';
import { EvidenceCollector, type EvidenceResolvers } from './message-evidence.ts';
import { RawCapture } from './raw-capture.ts';
import { judgeReporter } from './reporter-trust.ts';
import { unwrap } from './unwrap.ts';

const gzipAsync = promisify(gzip);

export interface IngestSettings {
  readonly limits: ReportLimits;
  /** Raw bytes kept for a quarantined input (its beginning). */
  readonly maxRawKeptBytes: number;
  readonly failureRetentionDays: number;
  readonly lateAfterHours: number;
}

export interface ReportIngestDeps {
  readonly repo: ReportRepository;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
  /** reports.<zone>: recipients there carry a domain's rua token. */
  readonly reportsHost: string;
  readonly settings: IngestSettings;
  /** Called after reports were stored (the reverse-name resolver looks for new sources). */
  readonly onStored?: () => void;
  /** Whether a name is a public suffix: reports about one are refused (attribution.ts). */
  readonly isPublicSuffix?: (name: string) => boolean;
  /** The organisational domain of a name (RFC 7489 §3.2); without it, a name is its own. */
  readonly organizationalDomain?: (name: string) => string;
  /** DKIM key and reverse-name lookups, to check who sent a report (reporter-trust.ts); null: nothing is checked. */
  readonly evidence?: EvidenceResolvers | null;
}

export interface IngestRequest {
  /** The input's bytes: a stream, or any (async) iterable of chunks. */
  readonly source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  readonly via: IntakePath;
  /** Envelope recipients (SMTP). Their tokens attribute the reports. */
  readonly recipients?: readonly string[];
  /** The tenant the input came from (an upload's API key, a tenant's mailbox). */
  readonly tenantId?: string | null;
  /** A name for the input in paths and the quarantine: a file name, a message id. */
  readonly name?: string;
  /** The SMTP client's address: its forward-confirmed reverse name may verify the reporter. */
  readonly clientIp?: string | null;
  /**
   * An owner or operator vouches for the reporters of this input (an upload or import with the trust flag): its
   * reports are stored as `operator`-trusted without further checks.
   */
  readonly trustReporters?: boolean;
}

export interface IngestResult {
  readonly outcomes: readonly IngestOutcome[];
  readonly bytes: number;
  readonly sha256: string;
}

/** Report inputs handled since this node started, by how they came and what became of their documents. */
export interface IntakeCount {
  readonly via: IngestRequest['via'];
  readonly status: IngestOutcome['status'];
  readonly count: number;
}

export class ReportIngestService {
  readonly #deps: ReportIngestDeps;
  readonly #counts = new Map<
    string,
    { via: IngestRequest['via']; status: IngestOutcome['status']; count: number }
  >();

  constructor(deps: ReportIngestDeps) {
    this.#deps = deps;
  }

  /** The domains named by the rua tokens among `recipients` (unknown tokens are ignored). */
  async tokenDomains(recipients: readonly string[]): Promise<DomainRef[]> {
    const tokens = [
      ...new Set(recipients.map((r) => tokenOf(r, this.#deps.reportsHost)).filter((t) => t !== null)),
    ];
    const found = await Promise.all(tokens.map((t) => this.#deps.repo.domainByToken(t)));
    return found.filter((d) => d !== null);
  }

  async ingest(request: IngestRequest): Promise<IngestResult> {
    const { repo, clock, settings } = this.#deps;
    const receivedAt = clock.now();
    const raw = new RawCapture(settings.maxRawKeptBytes);
    const resolvers = this.#deps.evidence ?? null;
    const collector =
      resolvers === null || request.trustReporters === true
        ? null
        : new EvidenceCollector(resolvers, request.via === 'smtp' ? (request.clientIp ?? null) : null);
    const source = new ByteSource(request.source, (chunk) => {
      raw.add(chunk);
      collector?.add(chunk);
    });
    const tokenDomains = await this.tokenDomains(request.recipients ?? []);
    const handlers = documentHandlers({
      repo,
      via: request.via,
      tenantId: request.tenantId ?? null,
      tokenDomains,
      receivedAt,
      newId: () => randomBase32(this.#deps.random, 20),
      maxRecords: settings.limits.maxRecords,
      lateAfterHours: settings.lateAfterHours,
      failureRetentionDays: settings.failureRetentionDays,
      ...(this.#deps.isPublicSuffix === undefined ? {} : { isPublicSuffix: this.#deps.isPublicSuffix }),
    });
    const context = {
      budget: new Budget(settings.limits),
      notes: [],
      path: request.name ?? request.via,
      depth: 0,
      inMessage: false,
      message: null,
    };
    let documents: DocumentOutcome[];
    try {
      documents = await unwrap(source, context, handlers);
    } catch (error) {
      collector?.close();
      throw error;
    } finally {
      // Read to the end whatever happened: an SMTP client waits for its reply, and the hash covers everything.
      await source.drain();
    }
    const sha256 = raw.digest();
    documents = await this.#finish(documents, request, collector);
    const outcomes: IngestOutcome[] = [];
    let rawGzip: Buffer | null = null;
    for (const d of documents) {
      if (d.status === 'skipped' || d.status === 'staged') continue;
      if (d.status !== 'refused') {
        outcomes.push(d);
        continue;
      }
      rawGzip ??= await gzipAsync(raw.keptBytes());
      outcomes.push(
        await this.#quarantine(d, request, tokenDomains[0] ?? null, receivedAt, raw, sha256, rawGzip),
      );
    }
    const stored = outcomes.filter((o) => o.status === 'stored').length;
    this.#deps.log.info(
      {
        component: 'reports',
        via: request.via,
        name: request.name,
        bytes: raw.bytes,
        sha256,
        stored,
        duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
        quarantined: outcomes.filter((o) => o.status === 'quarantined').map((o) => o.reason),
      },
      'report input handled',
    );
    for (const o of outcomes) {
      const key = `${request.via} ${o.status}`;
      const c = this.#counts.get(key);
      if (c === undefined) this.#counts.set(key, { via: request.via, status: o.status, count: 1 });
      else c.count++;
    }
    if (stored > 0) this.#deps.onStored?.();
    return { outcomes, bytes: raw.bytes, sha256 };
  }

  /** The documents taken in on this node so far, by input path and outcome (for /metrics). */
  intakeCounts(): IntakeCount[] {
    return [...this.#counts.values()].map((c) => ({ ...c }));
  }

  /** Completes the staged reports, each with its verdict, now that the whole input was read. */
  async #finish(
    documents: DocumentOutcome[],
    request: IngestRequest,
    collector: EvidenceCollector | null,
  ): Promise<DocumentOutcome[]> {
    if (!documents.some((d) => d.status === 'staged')) {
      collector?.close();
      return documents;
    }
    const evidence = collector === null ? null : await collector.result();
    const organizationalDomain = this.#deps.organizationalDomain ?? ((name: string) => name);
    const operatorTrust = request.trustReporters === true;
    const judge = (orgName: string, email: string | null) =>
      judgeReporter({ orgName, email, evidence, operatorTrust, organizationalDomain });
    const finished: DocumentOutcome[] = [];
    for (const d of documents) finished.push(d.status === 'staged' ? await d.finish(judge) : d);
    return finished;
  }

  async #quarantine(
    d: RefusedOutcome,
    request: IngestRequest,
    tokenDomain: DomainRef | null,
    receivedAt: Date,
    raw: RawCapture,
    sha256: string,
    rawGzip: Buffer,
  ): Promise<IngestOutcome> {
    const { repo, random } = this.#deps;
    const domainId = d.domainId ?? tokenDomain?.id ?? null;
    const tenantId = d.tenantId ?? tokenDomain?.tenantId ?? request.tenantId ?? null;
    const filed = await repo.insertQuarantine({
      id: randomBase32(random, 20),
      tenantId,
      domainId,
      receivedAt: receivedAt.toISOString(),
      via: request.via,
      reason: d.reason,
      message: d.message,
      path: d.path,
      reporter: d.reporter,
      externalId: d.reportId,
      policyDomain: d.policyDomain,
      rawBytes: raw.bytes,
      rawSha256: sha256,
      rawKept: raw.kept,
      rawGzip,
    });
    if (d.reporter !== null && !filed.repeated) {
      await repo.countReporterEvent({
        tenantId,
        domainId,
        day: receivedAt.toISOString().slice(0, 10),
        reporter: d.reporter,
        event: 'malformed',
      });
    }
    const { status: _refused, ...rest } = d;
    return { ...rest, status: 'quarantined', quarantineId: filed.id, repeated: filed.repeated };
  }

  /**
   * An operator's trust in reports already stored: `legacy` ones (stored before verification; nothing is left to
   * re-verify, the message is gone), and with `includeUnverified` also `unverified` ones. They become `operator`
   * reports, which the autopilot counts. Returns how many changed.
   */
  async trustStored(scope: {
    readonly tenantId: string | null;
    readonly domainId: string | null;
    readonly reporter: string | null;
    readonly includeUnverified: boolean;
    readonly actor: string;
  }): Promise<number> {
    const at = this.#deps.clock.now().toISOString();
    const changed = await this.#deps.repo.trustReports({
      tenantId: scope.tenantId,
      domainId: scope.domainId,
      reporter: scope.reporter,
      from: scope.includeUnverified ? ['legacy', 'unverified'] : ['legacy'],
      reason: `trusted by ${scope.actor} on ${at.slice(0, 10)}`,
      at,
    });
    this.#deps.log.info({ component: 'reports', ...scope, changed }, 'reports trusted by an operator');
    return changed;
  }

  /** Removes reports a crashed process left half-loaded (older than `olderThanMs`). */
  async recoverInterrupted(olderThanMs = 3600_000): Promise<number> {
    const before = new Date(this.#deps.clock.now().getTime() - olderThanMs).toISOString();
    return this.#deps.repo.removeStaleLoading(before);
  }

  /** Deletes failure reports past their retention time. */
  async purgeExpired(): Promise<number> {
    return this.#deps.repo.purgeFailureReports(this.#deps.clock.now().toISOString());
  }
}
