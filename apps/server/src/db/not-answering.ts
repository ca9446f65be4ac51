/**
 * The error of a statement the database did not answer in time (pg-connection.ts closes its
 * connection). Apart from the driver, so that recognising it (availability.ts) does not load `pg`
 * in a process that runs on PGlite.
 */
export class DatabaseNotAnsweringError extends Error {
  constructor(timeoutMs: number) {
    super(`The database did not answer within ${timeoutMs} ms; the connection was closed.`);
    this.name = 'DatabaseNotAnsweringError';
  }
}
