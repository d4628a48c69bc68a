import type { Logger } from '../core/index.ts';
import type { CheckService } from './check-service.ts';

export interface CheckSchedulerOptions {
  readonly service: CheckService;
  /** Checks running at once. */
  readonly concurrency: number;
  /** How often to look for due domains, in milliseconds. */
  readonly tickMs: number;
  readonly log: Logger;
}

/**
 * Re-checks every domain when it comes due (hourly by default, jittered per domain by CheckService), with
 * bounded concurrency. `runDue()` is one pass, so tests drive it directly with a manual clock.
 */
export class CheckScheduler {
  readonly #o: CheckSchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<number> | undefined;
  #stopped = false;

  constructor(options: CheckSchedulerOptions) {
    this.#o = options;
  }

  /** Checks every due domain; resolves with how many were checked. One pass at a time. */
  runDue(): Promise<number> {
    this.#pass ??= this.#runDue().finally(() => (this.#pass = undefined));
    return this.#pass;
  }

  async #runDue(): Promise<number> {
    const due = await this.#o.service.due();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (!this.#stopped && next < due.length) {
        const domain = due[next++]!;
        try {
          await this.#o.service.run(domain);
          done++;
        } catch (error) {
          // One broken domain must not stop the others; the error is a bug or broken infrastructure.
          this.#o.log.error({ component: 'checks', domain: domain.name, err: error }, 'check failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.#o.concurrency) }, worker));
    return done;
  }

  /** Looks for due domains every tick; with a `gate` (the cluster's job lease), only while it says yes. */
  start(gate?: () => Promise<boolean>): void {
    const tick = () => {
      this.#timer = undefined;
      const pass = async () => (gate === undefined || (await gate()) ? this.runDue() : 0);
      void pass()
        .catch((error: unknown) =>
          this.#o.log.error({ component: 'checks', err: error }, 'scheduler pass failed'),
        )
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#o.tickMs).unref();
        });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** Stops scheduling and waits for the pass in flight (its running checks finish; no new ones start). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#pass?.catch(() => undefined);
  }
}
