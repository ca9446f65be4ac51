import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. On Node 20 a worker's entry module is loaded before
 * `--import tsx` takes effect in it, so the worker registers tsx itself and then imports the module.
 */
export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const code =
    `import('tsx/esm/api').then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}
