import { PeriodicTask, type Logger } from '../core/index.ts';
import type { DmarcService } from './dmarc-service.ts';

/** Runs the DMARC calendar and autopilot periodically (see PeriodicTask); each decision is logged. */
export class DmarcScheduler extends PeriodicTask<void> {
  constructor(service: DmarcService, log: Logger) {
    const scoped = log.child({ component: 'dmarc-scheduler' });
    super(
      async () => {
        for (const d of await service.tick()) scoped.info(d, 'dmarc rollout decision');
      },
      (error) => scoped.error({ err: error }, 'dmarc tick failed'),
    );
  }
}
