/** Percentiles and timing loops shared by the benchmarks, so every figure is computed the same way. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentiles of samples in milliseconds. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Runs `send` `warmup` times unmeasured, then `iterations` times one after another. */
export async function measureSequential(
  send: () => Promise<void>,
  { iterations, warmup }: { iterations: number; warmup: number },
): Promise<Percentiles> {
  for (let i = 0; i < warmup; i++) await send();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await send();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** Runs `send` from `concurrency` loops until `total` calls are done; returns calls/s and latencies. */
export async function measureConcurrent(
  send: (index: number) => Promise<void>,
  { total, concurrency }: { total: number; concurrency: number },
): Promise<Percentiles & { perSecond: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const t = performance.now();
        await send(index);
        samples.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...percentiles(samples), perSecond: total / seconds };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const ratio = (value: number, baseline: number) => `x${(value / baseline).toFixed(2)}`;

/**
 * Milliseconds since the epoch, sub-millisecond: comparable across worker threads, where
 * `performance.now()` alone counts from each thread's own start.
 */
export const epochMs = () => performance.timeOrigin + performance.now();

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}
