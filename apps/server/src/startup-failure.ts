/**
 * Start-up failures an operator causes and can fix (a port in use, a data dir this user cannot
 * write, PostgreSQL not answering) stop the start with one line that names the setting and the
 * fix, instead of a stack trace. Anything not recognised here stays a fault with its stack.
 */
export class StartupFailure extends Error {
  override name = 'StartupFailure';
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The listen call failed: the address is taken, privileged or not this machine's. */
export function explainListenFailure(error: unknown, host: string, port: number): unknown {
  const at = `${host}:${port}`;
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return new StartupFailure(
        `Port ${port} is already in use on ${host} (PORT=${port}): stop the process using it, or set PORT to a free port.`,
      );
    case 'EACCES':
      return new StartupFailure(
        `Not allowed to listen on ${at} (PORT=${port}): ports below 1024 need extra privileges; set PORT to 1024 or above.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupFailure(
        `Cannot listen on ${at}: HOST=${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses.`,
      );
    default:
      return error;
  }
}

const FILESYSTEM_REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC']);

/** Creating or writing the data dir (lock file, key file, embedded database) failed. */
export function explainDataDirFailure(error: unknown, dataDir: string): unknown {
  const code = codeOf(error);
  if (code === undefined || !FILESYSTEM_REFUSALS.has(code)) return error;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full; free some space'
      : code === 'ENOTDIR' || code === 'EEXIST'
        ? 'it is not a directory; point PARLEY_DATA_DIR at a directory'
        : `this user cannot write to it (${code}); make it writable (chown/chmod) or set PARLEY_DATA_DIR to a writable directory`;
  return new StartupFailure(`Cannot use the data dir ${dataDir} (PARLEY_DATA_DIR): ${why}.`);
}

/** Where DATABASE_URL points, without the user or password. */
function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port === '' ? '5432' : parsed.port}${parsed.pathname}`;
  } catch {
    return 'the configured address';
  }
}

/** Connecting to PostgreSQL (DATABASE_URL) failed before Parley could migrate it. */
export function explainDatabaseFailure(error: unknown, url: string): unknown {
  const at = databaseAddress(url);
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return new StartupFailure(
        `PostgreSQL at ${at} (DATABASE_URL) is unreachable (${codeOf(error)}): start it, or fix the host and port in DATABASE_URL.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupFailure(
        `PostgreSQL host in DATABASE_URL (${at}) does not resolve: fix the host name in DATABASE_URL.`,
      );
    case '28P01':
    case '28000':
      return new StartupFailure(
        `PostgreSQL at ${at} refused the login (DATABASE_URL): check the user and password in DATABASE_URL and pg_hba.conf.`,
      );
    case '3D000':
      return new StartupFailure(
        `PostgreSQL at ${at} has no such database (DATABASE_URL): create it (createdb) or fix the database name in DATABASE_URL.`,
      );
    default:
      // node-postgres gives up on a server that accepts the connection but never answers with a
      // plain Error and no code.
      if (error instanceof Error && /connection timeout|timeout expired/i.test(error.message)) {
        return new StartupFailure(
          `PostgreSQL at ${at} (DATABASE_URL) accepted the connection but did not answer in time: check that PostgreSQL (not another service) listens there and is not overloaded, or fix DATABASE_URL.`,
        );
      }
      return error;
  }
}
