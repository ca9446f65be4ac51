/**
 * At most `limit` tasks run at once per key (a shop), the rest wait in a bounded first-in first-out
 * queue. It keeps one shop's slow or busy CRM from holding every socket and request of the server,
 * and the bound keeps a flood of lookups from queueing without end. Idle keys hold no memory.
 */
export class QueueFullError extends Error {
  constructor() {
    super('Every slot is taken and the queue is full.');
    this.name = 'QueueFullError';
  }
}

interface Lane {
  running: number;
  waiting: Array<() => void>;
}

export class KeyedSemaphore {
  readonly #lanes = new Map<string, Lane>();
  readonly #limit: number;
  readonly #maxQueued: number;

  constructor(options: { limit: number; maxQueued: number }) {
    if (options.limit < 1) throw new Error('limit must be at least 1');
    this.#limit = options.limit;
    this.#maxQueued = options.maxQueued;
  }

  /** Tasks running and waiting for `key`. */
  load(key: string): { running: number; waiting: number } {
    const lane = this.#lanes.get(key);
    return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  /** Runs `task` when a slot for `key` is free; rejects with QueueFullError when the queue is full. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { running: 0, waiting: [] };
      this.#lanes.set(key, lane);
    }
    if (lane.running >= this.#limit) {
      if (lane.waiting.length >= this.#maxQueued) throw new QueueFullError();
      const queued = lane;
      // The slot is handed over by release(): `running` is not decremented in between.
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
    } else {
      lane.running++;
    }
    try {
      return await task();
    } finally {
      this.#release(key, lane);
    }
  }

  #release(key: string, lane: Lane): void {
    const next = lane.waiting.shift();
    if (next !== undefined) {
      next();
      return;
    }
    lane.running--;
    if (lane.running === 0) this.#lanes.delete(key);
  }
}
