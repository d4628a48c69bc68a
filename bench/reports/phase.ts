/** One phase of bench/reports/run.ts, in its own process; prints one JSON line. */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { resolveConfig } from '../../src/config/index.ts';
import { cryptoRandom, quietLogger, systemClock } from '../../src/core/index.ts';
import { configRules, openServices } from '../../src/main.ts';
import {
  DEFAULT_REPORT_LIMITS,
  ReportIngestService,
  type ReportRepository,
} from '../../src/reports/index.ts';
import { XmlTextDecoder } from '../../src/reports/xml-text-decoder.ts';
import { XmlTokenizer } from '../../src/reports/xml-tokenizer.ts';
import { writeLargeReport } from './generate.ts';

const [name = '', ...args] = process.argv.slice(2);
const REPORTS_HOST = 'reports.mail.example.net';
const DAY = 86_400;
const today = Math.floor(Date.now() / 1000 / DAY) * DAY;

function report(mb: number, seconds: number, records?: number, extra?: Record<string, number>) {
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ phase: name, mb, seconds, peakRssMiB, records, extra }));
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

/** A repository that attributes everything to one domain and keeps nothing: the core pipeline alone. */
function droppingRepository(): ReportRepository {
  const domain = { id: 'd1', tenantId: 't1', name: 'example.com', token: 'benchtoken', verified: true };
  return {
    domainByToken: () => Promise.resolve(domain),
    domainsNamed: () => Promise.resolve([domain]),
    beginReport: () => Promise.resolve({ started: true }),
    addRecords: () => Promise.resolve(),
    completeReport: () => Promise.resolve({ completed: true as const, replaced: null }),
    trustReports: () => Promise.resolve(0),
    abandonReport: () => Promise.resolve(),
    insertFailureReport: () => Promise.resolve({ inserted: true as const }),
    countReporterEvent: () => Promise.resolve(),
    insertQuarantine: () => Promise.resolve({ id: 'q', repeated: false }),
    removeStaleLoading: () => Promise.resolve(0),
    purgeFailureReports: () => Promise.resolve(0),
  };
}

function pipeline(repo: ReportRepository): ReportIngestService {
  return new ReportIngestService({
    repo,
    clock: systemClock,
    random: cryptoRandom,
    log: quietLogger(),
    reportsHost: REPORTS_HOST,
    settings: {
      limits: DEFAULT_REPORT_LIMITS,
      maxRawKeptBytes: 16 * 1024 * 1024,
      failureRetentionDays: 30,
      lateAfterHours: 72,
    },
  });
}

async function services(db: string) {
  const outcome = resolveConfig(
    {
      env: {},
      cwd: process.cwd(),
      flags: [
        `dataDir=${db}.d`,
        `store.sqlitePath=${db}`,
        `domains.publicSuffixList=${new URL('../../../shared/corpus/psl/public_suffix_list.dat', import.meta.url).pathname}`,
        'reports.reverseDns.enabled=false',
      ],
    },
    configRules,
  );
  if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
  const s = await openServices(outcome.config);
  const tenant = await s.accounts.addTenant('bench');
  const domain = await s.domains.add(tenant.id, 'example.com', {});
  return { s, tenant, recipient: `${domain.token}@${s.platform.reportsHost}` };
}

const fileBytes = (path: string) => createReadStream(path, { highWaterMark: 64 * 1024 });

/** The small reports the parent wrote, read from disk so that making them costs this process no memory. */
function smallGzipped(dir: string): Buffer[] {
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f)));
}

async function bare(path: string, write: (text: string) => void): Promise<number> {
  const decoder = new XmlTextDecoder();
  let bytes = 0;
  for await (const chunk of fileBytes(path) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    write(decoder.decode(chunk));
  }
  write(decoder.end());
  return bytes;
}

switch (name) {
  case 'saxes': {
    const parser = new SaxesParser();
    const [bytes, s] = await timed(() => bare(args[0]!, (t) => void parser.write(t)));
    parser.close();
    report(bytes / 1e6, s);
    break;
  }
  case 'tokenizer': {
    const tokenizer = new XmlTokenizer({ open() {}, close() {} });
    const [bytes, s] = await timed(() => bare(args[0]!, (t) => tokenizer.write(t)));
    tokenizer.end();
    report(bytes / 1e6, s);
    break;
  }
  case 'parse': {
    const ingest = pipeline(droppingRepository());
    const [r, s] = await timed(() =>
      ingest.ingest({
        source: fileBytes(args[0]!),
        via: 'import',
        recipients: [`benchtoken@${REPORTS_HOST}`],
      }),
    );
    const o = r.outcomes[0]!;
    if (o.status !== 'stored') throw new Error(JSON.stringify(o));
    report(r.bytes / 1e6, s, o.records);
    break;
  }
  case 'ingest': {
    const { s: svc, recipient } = await services(args[1]!);
    const [r, s] = await timed(() =>
      svc.reports.ingest({ source: fileBytes(args[0]!), via: 'import', recipients: [recipient] }),
    );
    const o = r.outcomes[0]!;
    if (o.status !== 'stored') throw new Error(JSON.stringify(o));
    await svc.close();
    report(r.bytes / 1e6, s, o.records);
    break;
  }
  case 'small-bare': {
    const reports = smallGzipped(args[0]!);
    const [bytes, s] = await timed(() => {
      let total = 0;
      for (const gz of reports) {
        const xml = gunzipSync(gz);
        total += xml.length;
        new SaxesParser().write(new TextDecoder().decode(xml)).close();
      }
      return Promise.resolve(total);
    });
    report(bytes / 1e6, s);
    break;
  }
  case 'small-parse':
  case 'small-ingest': {
    const reports = smallGzipped(args[0]!);
    const target =
      name === 'small-parse'
        ? {
            ingest: pipeline(droppingRepository()),
            recipient: `benchtoken@${REPORTS_HOST}`,
            close: () => Promise.resolve(),
          }
        : await services(args[1]!).then(({ s, recipient }) => ({
            ingest: s.reports,
            recipient,
            close: () => s.close(),
          }));
    const xmlBytes = reports.reduce((sum, gz) => sum + gunzipSync(gz).length, 0);
    const [records, s] = await timed(async () => {
      let n = 0;
      for (const gz of reports) {
        const r = await target.ingest.ingest({ source: [gz], via: 'import', recipients: [target.recipient] });
        const o = r.outcomes[0]!;
        if (o.status !== 'stored') throw new Error(JSON.stringify(o));
        n += o.records;
      }
      return n;
    });
    await target.close();
    report(xmlBytes / 1e6, s, records);
    break;
  }
  case 'dashboard': {
    const { s: svc, tenant, recipient } = await services(args[0]!);
    const [records, s] = await timed(async () => {
      let n = 0;
      for (let day = 0; day < 30; day++) {
        const path = `${args[0]!}.day${day}.xml`;
        await writeLargeReport(path, 13.5e6, 'example.com', today - DAY * day, 5000);
        const r = await svc.reports.ingest({
          source: fileBytes(path),
          via: 'import',
          recipients: [recipient],
        });
        const o = r.outcomes[0]!;
        if (o.status !== 'stored') throw new Error(JSON.stringify(o));
        n += o.records;
      }
      return n;
    });
    const queries: Record<string, () => Promise<unknown>> = {
      'summary, 30 days': () => svc.reportStats.summary(tenant.id, 'example.com', { days: 30 }),
      'sources, 30 days, top 100': () => svc.reportStats.sources(tenant.id, 'example.com', { days: 30 }, 100),
      'selectors, 30 days': () => svc.reportStats.selectors(tenant.id, 'example.com', { days: 30 }),
      'reporter scoreboard, 30 days': () =>
        svc.reportStats.scoreboard(tenant.id, 'example.com', { days: 30 }),
      'summary, all time (by month)': () => svc.reportStats.summary(tenant.id, 'example.com', { all: true }),
      'summary, 30 days, by arrival': () =>
        svc.reportStats.summary(tenant.id, 'example.com', { days: 30, basis: 'arrival' }),
      'sources, 30 days, top 100, by arrival': () =>
        svc.reportStats.sources(tenant.id, 'example.com', { days: 30, basis: 'arrival' }, 100),
    };
    const extra: Record<string, number> = {};
    for (const [label, query] of Object.entries(queries)) {
      let fastest = Infinity;
      for (let i = 0; i < 5; i++) fastest = Math.min(fastest, (await timed(query))[1] * 1000);
      extra[label] = fastest;
    }
    await svc.close();
    report(0, s, records, extra);
    break;
  }
  default:
    throw new Error(`unknown phase ${name}`);
}
