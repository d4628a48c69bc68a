/**
 * A pass of work run every `intervalMs`, one at a time: a call while a pass runs shares that pass (or, with
 * `again`, asks for one more right after it). The next pass is timed from the end of the previous one, so a slow
 * pass never piles up. Failures go to `onError`; they never stop the loop.
 */
export class PeriodicTask<T> {
  readonly #pass: () => Promise<T>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #running: Promise<T> | undefined;
  #again = false;

  constructor(pass: () => Promise<T>, onError: (error: unknown) => void) {
    this.#pass = pass;
    this.#onError = onError;
  }

  /** Runs a pass now. Concurrent calls share the pass in progress; `again` queues one more after it. */
  runOnce(options: { again?: boolean } = {}): Promise<T> {
    if (this.#running !== undefined) {
      if (options.again === true) this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.runOnce().catch(this.#onError);
      }
    });
    return this.#running;
  }

  /**
   * Runs a pass every `intervalMs`. With a `gate`, each timed pass first asks it (a cluster's job lease) and is
   * skipped when it says no; `runOnce` called directly is never gated.
   */
  start(intervalMs: number, gate?: () => Promise<boolean>): void {
    this.#started = true;
    const gated = async (): Promise<unknown> =>
      gate === undefined || (await gate()) ? this.runOnce() : undefined;
    const loop = () => {
      gated()
        .catch(this.#onError)
        .finally(() => {
          if (this.#started) this.#timer = setTimeout(loop, intervalMs).unref();
        });
    };
    this.#timer = setTimeout(loop, 0).unref();
  }

  get started(): boolean {
    return this.#started;
  }

  /** Stops the loop and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.#started = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }
}
