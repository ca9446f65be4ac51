/**
 * Coalesces identical work in flight: while a call for a key runs, callers with the same key get the
 * same promise instead of starting another. When it settles the key is free again, so a failure is
 * never remembered past the callers that shared it.
 */
export class SingleFlight<V> {
  readonly #inFlight = new Map<string, Promise<V>>();

  get size(): number {
    return this.#inFlight.size;
  }

  run(key: string, work: () => Promise<V>): Promise<V> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    const started = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }
}
