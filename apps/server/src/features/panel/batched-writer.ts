/**
 * Collects rows in memory and writes them in batches: when `maxRows` are waiting, or `intervalMs`
 * after the first one, and on close. It takes a database round trip off a hot path (the lookup
 * audit) at the price of losing at most one interval of rows if the process is killed.
 * A batch that fails is retried with the next flush; after `maxAttempts` it is dropped and reported,
 * so one poisoned batch cannot block every later row.
 */
export interface BatchedWriterOptions<Row> {
  write(rows: Row[]): Promise<void>;
  maxRows: number;
  intervalMs: number;
  maxAttempts: number;
  /** Called for each failed write; `dropped` says the rows were given up. */
  onError(error: unknown, rows: number, dropped: boolean): void;
}

export class BatchedWriter<Row> {
  readonly #options: BatchedWriterOptions<Row>;
  #buffer: Row[] = [];
  #failedAttempts = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: BatchedWriterOptions<Row>) {
    this.#options = options;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  push(row: Row): void {
    this.#buffer.push(row);
    if (this.#buffer.length >= this.#options.maxRows) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.intervalMs).unref();
  }

  /** Writes everything buffered so far; resolves when it is written (or reported as failed). */
  flush(): Promise<void> {
    // Chained, so batches are written one at a time and in order.
    this.#flushing = this.#flushing.then(() => this.#drain());
    return this.#flushing;
  }

  /** Flushes until nothing is left: each failing batch is retried until written or dropped. */
  async close(): Promise<void> {
    while (this.#buffer.length > 0) await this.flush();
    clearTimeout(this.#timer);
  }

  async #drain(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Only the rows buffered now: rows pushed while this writes wait for their own batch, so a
    // steady stream is written in full batches instead of one small write after another.
    const pending = this.#buffer;
    this.#buffer = [];
    while (pending.length > 0) {
      const batch = pending.splice(0, this.#options.maxRows);
      try {
        await this.#options.write(batch);
        this.#failedAttempts = 0;
      } catch (error) {
        this.#failedAttempts++;
        const dropped = this.#failedAttempts >= this.#options.maxAttempts;
        this.#options.onError(error, batch.length, dropped);
        if (dropped) {
          this.#failedAttempts = 0;
          continue;
        }
        this.#buffer.unshift(...batch, ...pending);
        this.#timer ??= setTimeout(() => void this.flush(), this.#options.intervalMs).unref();
        return;
      }
    }
  }
}
