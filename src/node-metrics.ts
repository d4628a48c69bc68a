/**
 * Part of the composition root: the node's `/metrics` in the Prometheus text format (prom-client), read from the
 * running components when scraped, so nothing is added to the answer path but the DNS server's counters
 * (query-counters.ts). Components register what they have as they start; a node without a component has none
 * of its metrics.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobLeases } from './cluster/index.ts';
import type { DnsMetrics } from './dns/index.ts';
import type { GatewayStats } from './gateway/index.ts';
import type { IntakeCount } from './reports/index.ts';
import type { VisitStats } from './tracking/index.ts';
import { rcodeName } from './dns-wire/index.ts';

export interface MetricsText {
  readonly contentType: string;
  render(): Promise<string>;
}

export class NodeMetrics implements MetricsText {
  readonly #registry = new Registry();

  constructor(leases: JobLeases) {
    collectDefaultMetrics({ register: this.#registry, prefix: 'senderd_' });
    new Gauge({
      name: 'senderd_job_lease_held',
      help: 'Periodic jobs whose cluster lease this node holds (1), by job.',
      labelNames: ['job'],
      registers: [this.#registry],
      collect() {
        this.reset();
        for (const job of leases.held()) this.set({ job }, 1);
      },
    });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  render(): Promise<string> {
    return this.#registry.metrics();
  }

  /** The DNS server's queries by transport and RCODE, transfers by kind, and the serial it serves. */
  dns(read: () => DnsMetrics): void {
    const registers = [this.#registry];
    new Counter({
      name: 'senderd_dns_queries_total',
      help: 'DNS queries by transport and the RCODE of the reply (dropped: no reply, unreadable or rate-limited).',
      labelNames: ['transport', 'rcode'],
      registers,
      collect() {
        this.reset();
        for (const c of read().counts)
          this.inc({ transport: c.transport, rcode: rcodeLabel(c.rcode) }, c.count);
      },
    });
    new Counter({
      name: 'senderd_dns_transfers_total',
      help: 'Zone transfers served, by kind (axfr, ixfr, ixfr-full: answered with the whole zone, ixfr-uptodate).',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(read().transfers)) this.inc({ kind }, n);
      },
    });
    new Gauge({
      name: 'senderd_dns_zone_serial',
      help: "The platform zone's SOA serial served now.",
      registers,
      collect() {
        this.set(read().serial);
      },
    });
  }

  /** The gateway's spool and delivery queue on this node, and the outcomes of its delivery attempts. */
  gateway(stats: () => GatewayStats): void {
    new Counter({
      name: 'senderd_gateway_delivery_attempts_total',
      help: 'Delivery attempts by this node since it started, by outcome (delivered, deferred, bounced, expired).',
      labelNames: ['outcome'],
      registers: [this.#registry],
      collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(stats().attempts)) this.inc({ outcome }, n);
      },
    });
    new Gauge({
      name: 'senderd_gateway_queue_messages',
      help: "Messages in this node's gateway: spooled (accepted, not finished), and deliveries ready, active or scheduled for a retry.",
      labelNames: ['state'],
      registers: [this.#registry],
      collect() {
        const s = stats();
        for (const state of ['spooled', 'ready', 'active', 'scheduled'] as const)
          this.set({ state }, s[state]);
      },
    });
  }

  /** Opens and clicks answered by this node's edge, by what became of their record, and those still queued. */
  tracking(stats: () => VisitStats): void {
    new Counter({
      name: 'senderd_tracking_visits_total',
      help: 'Opens and clicks answered since this node started, by record: stored, shed (the record queue was full; the answer still went out) or failed (the store refused the batch).',
      labelNames: ['record'],
      registers: [this.#registry],
      collect() {
        this.reset();
        const s = stats();
        this.inc({ record: 'stored' }, s.recorded);
        this.inc({ record: 'shed' }, s.dropped);
        this.inc({ record: 'failed' }, s.failed);
      },
    });
    new Gauge({
      name: 'senderd_tracking_visits_pending',
      help: 'Opens and clicks answered and waiting to be stored on this node.',
      registers: [this.#registry],
      collect() {
        this.set(stats().pending);
      },
    });
  }

  /** DMARC and TLS-RPT report documents taken in by this node, by input path and outcome. */
  reports(read: () => readonly IntakeCount[]): void {
    new Counter({
      name: 'senderd_report_documents_total',
      help: 'Report documents taken in since this node started, by input path (smtp, imap, upload, ...) and outcome (stored, duplicate, quarantined).',
      labelNames: ['via', 'status'],
      registers: [this.#registry],
      collect() {
        this.reset();
        for (const c of read()) this.inc({ via: c.via, status: c.status }, c.count);
      },
    });
  }
}

function rcodeLabel(rcode: number | 'dropped'): string {
  return rcode === 'dropped' ? 'dropped' : rcodeName(rcode);
}
