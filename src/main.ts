/**
 * The composition root: reads config, builds adapters, wires capabilities together, starts the components and
 * shuts them down. Nothing else in senderd constructs a service or opens a socket on its own. Its parts:
 * node-settings.ts (configuration → each capability's settings, and the rules only a capability can judge),
 * runtime.ts (clock, randomness, logger and replaceable adapters), services.ts (the capabilities over one store)
 * and node-components.ts (the list of components a node can run).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { JobLeases } from './cluster/index.ts';
import type { Config } from './config/index.ts';
import { durationMs, type Logger } from './core/index.ts';
import { NodeMetrics } from './node-metrics.ts';
import { COMPONENTS, verpKeyOnce, type Component, type ComponentSpec } from './node-components.ts';
import { resolveRuntime, type Runtime } from './runtime.ts';
import { openServices, type Services } from './services.ts';
import { fitConnectionLimits } from './node-settings.ts';

export { configRules, dashboardDir, dnsSettings, platformNames } from './node-settings.ts';
export { openServices, servedZoneSettings, zoneSource } from './services.ts';
export type { Services } from './services.ts';
export type { NodeRuntime, Runtime } from './runtime.ts';
export { restApi } from './node-components.ts';
export type { Component, ComponentSpec, NodeParts } from './node-components.ts';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface RunningNode {
  readonly services: Services;
  readonly components: readonly Component[];
  /** Drains and stops every component, then closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts every enabled component of this node, in the order of `components`; stops them in reverse. */
export async function startNode(
  configured: Config,
  log: Logger,
  given: Runtime = {},
  components: readonly ComponentSpec[] = COMPONENTS,
): Promise<RunningNode> {
  const runtime = resolveRuntime({ log, ...given });
  const { config, budget } = fitConnectionLimits(configured, runtime.descriptorLimit);
  const descriptors = {
    descriptorLimit: runtime.descriptorLimit,
    available: budget.available,
    listeners: budget.shares,
  };
  if (budget.reduced)
    runtime.log.warn(
      descriptors,
      "the listeners' connection maxima do not fit the open-files limit less limits.descriptorReserve: reduced (raise LimitNOFILE)",
    );
  else runtime.log.info(descriptors, 'open-files limit shared among the listeners');
  const services = await openServices(config, runtime);
  const leases = new JobLeases({
    repo: services.store.jobLeases,
    // Unique per process: a restarted node is a new holder, and must wait out (or be given) the old one's lease.
    owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    leaseMs: durationMs(config.cluster.leaseTime),
    now: () => Date.now(),
    log: runtime.log,
  });
  const metrics = new NodeMetrics(leases);
  // Every node takes reports (the inbound MX, IMAP polls and uploads all end in the one ingest service).
  metrics.reports(() => services.reports.intakeCounts());
  const node = {
    config,
    services,
    runtime,
    version: VERSION,
    verpKey: verpKeyOnce(services),
    leases,
    metrics,
  };
  const running: Component[] = [];
  const stopAll = async () => {
    for (const component of [...running].reverse()) {
      await component.stop();
      runtime.log.info({ component: component.name }, 'stopped');
    }
    // Every job has stopped: give the leases back so another node takes them over at once.
    await leases.stop();
    await services.close();
  };
  try {
    for (const spec of components) {
      if (spec.enabled(config)) running.push(...[await spec.start(node)].flat());
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    services,
    components: running,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
