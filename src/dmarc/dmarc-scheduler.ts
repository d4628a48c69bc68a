import type { Logger } from '../core/index.ts';
import type { DmarcService } from './dmarc-service.ts';

/** Runs the DMARC calendar and autopilot every `intervalMs`; one tick at a time; errors are logged, never thrown. */
export class DmarcScheduler {
  readonly #service: DmarcService;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(service: DmarcService, log: Logger) {
    this.#service = service;
    this.#log = log.child({ component: 'dmarc-scheduler' });
  }

  start(intervalMs: number): void {
    const run = () => {
      this.#running ??= this.#service
        .tick()
        .then((done) => {
          for (const d of done) this.#log.info(d, 'dmarc rollout decision');
        })
        .catch((error: unknown) => this.#log.error({ err: error }, 'dmarc tick failed'))
        .finally(() => (this.#running = undefined));
    };
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
