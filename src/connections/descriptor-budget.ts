/**
 * Shares the process's file descriptors among its listeners (pure). All components run in one process, so a
 * listener that could open as many connections as there are descriptors would stop every other one (EMFILE: HTTP
 * resets, DNS over TCP fails, SMTP closes without a banner). Each listener gets its configured maximum while they
 * all fit under the soft RLIMIT_NOFILE less a reserve (the store, the spool, outgoing SMTP and webhooks, UDP
 * sockets, logs); when they do not, every maximum shrinks in proportion, so each listener keeps a share no other
 * can take.
 */
export interface ListenerDemand {
  readonly name: string;
  readonly maxConnections: number;
  /** Descriptors this listener may use beyond its connections (refusals being written). */
  readonly overhead: number;
}

export interface DescriptorShare {
  readonly name: string;
  readonly maxConnections: number;
}

export interface DescriptorBudget {
  readonly shares: readonly DescriptorShare[];
  /** True when the configured maxima did not fit and were reduced. */
  readonly reduced: boolean;
  /** Descriptors left for listeners: the limit less the reserve. */
  readonly available: number;
}

export function shareDescriptors(
  descriptorLimit: number,
  reserve: number,
  demands: readonly ListenerDemand[],
): DescriptorBudget {
  const overhead = demands.reduce((sum, d) => sum + d.overhead, 0);
  const available = Math.max(0, descriptorLimit - reserve);
  const wanted = demands.reduce((sum, d) => sum + d.maxConnections, 0);
  const forConnections = available - overhead;
  if (wanted <= forConnections) {
    return {
      shares: demands.map(({ name, maxConnections }) => ({ name, maxConnections })),
      reduced: false,
      available,
    };
  }
  const ratio = Math.max(0, forConnections) / wanted;
  return {
    shares: demands.map((d) => ({
      name: d.name,
      maxConnections: Math.max(1, Math.floor(d.maxConnections * ratio)),
    })),
    reduced: true,
    available,
  };
}
