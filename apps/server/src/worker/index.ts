/** The generic worker; the job catalog (catalog.ts) is imported by the runtime only, since it imports the features. */
export { createHeartbeat, type Heartbeat, type HeartbeatOptions } from './heartbeat.ts';
export { createWorker, type StartedRun, type Worker, type WorkerOptions } from './worker.ts';
