/**
 * Group commit: items submitted while a commit is running wait for it to end and are then committed
 * together, in one call. Under load many items share one transaction (its round trips, its fsync);
 * alone, an item is committed as soon as the I/O already received has been handled (no timer to wait
 * for). Every submit resolves with its own item's result, once that result is committed.
 *
 * A batch that fails is committed again one item at a time, so one item the database refuses does
 * not fail the others with it; each item then settles with its own outcome.
 */
import { afterPendingIo } from './after-pending-io.ts';

export type CommitBatch<Item, Result> = (items: readonly Item[]) => Promise<readonly Result[]>;

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class GroupCommit<Item, Result> {
  readonly #commit: CommitBatch<Item, Result>;
  readonly #maxBatch: number;
  #queue: Waiting<Item, Result>[] = [];
  #committing = 0;
  #running = false;

  /** `commit` returns one result per item, in the items' order. */
  constructor(commit: CommitBatch<Item, Result>, options: { maxBatch: number }) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch;
  }

  /** Items waiting for a commit, and those of the batch being written (until the whole batch is done). */
  get pending(): number {
    return this.#queue.length + this.#committing;
  }

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    // Items that arrive in one turn of the event loop (responses read together) share a commit.
    // PGlite needs this: it runs a whole transaction on microtasks, so without this yield no
    // other item could ever be submitted while one commits.
    await afterPendingIo();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#committing = batch.length;
      await this.#commitBatch(batch);
      this.#committing = 0;
    }
    this.#running = false;
  }

  async #commitBatch(batch: readonly Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.#committed(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i] as Result));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) await this.#commitBatch([waiting]);
    }
  }

  async #committed(items: readonly Item[]): Promise<readonly Result[]> {
    const results = await this.#commit(items);
    if (results.length !== items.length) {
      throw new Error(`a group commit returned ${results.length} results for ${items.length} items`);
    }
    return results;
  }
}
