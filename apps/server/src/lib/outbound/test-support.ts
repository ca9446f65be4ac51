/**
 * Helpers for this folder's tests only: real HTTP servers on loopback, a DNS seam with fixed
 * answers, and hooks on Node's socket creation that keep refused targets from ever being dialled.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type LookupFunction, type Socket, type TcpSocketConnectOpts } from 'node:net';
import type { LookupFn } from './resolve.ts';

export interface TestServer {
  port: number;
  /** A URL on this server, e.g. url('/hook'). */
  url(path?: string): string;
  /** TCP connections accepted so far: proves whether a refused call reached the server at all. */
  connections: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  server: Server;
  close(): Promise<void>;
}

/** Starts a node:http server on an ephemeral loopback port; `handle` gets the request body read. */
export async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  host = '127.0.0.1',
): Promise<TestServer> {
  const server = createServer();
  const state: TestServer = {
    port: 0,
    url: (path = '/') => `http://${isIP(host) === 6 ? `[${host}]` : host}:${state.port}${path}`,
    connections: 0,
    requests: [],
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', () => state.connections++);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  state.port = address.port;
  return state;
}

/** A DNS seam with fixed answers; names not listed fail like an unknown domain. Records every query. */
export function fakeLookup(answers: Record<string, string[]>): LookupFn & { queries: string[] } {
  const queries: string[] = [];
  const lookup = async (hostname: string) => {
    queries.push(hostname);
    const addresses = answers[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`unknown ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: isIP(address) }));
  };
  return Object.assign(lookup, { queries });
}

/**
 * Patches every client TCP socket created while active, just before it connects (Node publishes
 * each new `net.connect` socket on this channel before calling its `connect`). Returns the undo.
 */
function beforeEachDial(patch: (options: TcpSocketConnectOpts) => void): () => void {
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    const connect = socket.connect;
    socket.connect = function (this: Socket, ...args: unknown[]) {
      // net.connect passes its normalized [options, callback] array as the only argument.
      const [first] = args;
      patch((Array.isArray(first) ? first[0] : first) as TcpSocketConnectOpts);
      return Reflect.apply(connect, this, args) as Socket;
    } as Socket['connect'];
  };
  subscribe('net.client.socket', onSocket);
  return () => unsubscribe('net.client.socket', onSocket);
}

/** The lookup our connector hands to net.connect; every dial of a name must go through one. */
function requireLookup(options: TcpSocketConnectOpts): LookupFunction {
  if (options.lookup === undefined) throw new Error('test: a name was dialled without the guarded lookup');
  return options.lookup;
}

/**
 * Runs `call` with dialling disabled: an IP literal about to be dialled, or a name whose lookup
 * succeeded, is recorded in `dialled` and fails before any packet is sent. So a policy bug shows up
 * as a failed assertion, never as traffic to a private or public address. Plain TCP only: tls.connect
 * does not publish its sockets, so https calls must only ever target loopback.
 */
export async function withoutDialling(
  call: () => Promise<unknown>,
): Promise<{ error: unknown; dialled: string[] }> {
  const dialled: string[] = [];
  const refuse = () => new Error('test: dialling is disabled');
  const undo = beforeEachDial((options) => {
    if (isIP(options.host ?? '') !== 0) {
      dialled.push(options.host ?? '');
      throw refuse();
    }
    const lookup = requireLookup(options);
    options.lookup = (hostname, dnsOptions, callback) =>
      lookup(hostname, dnsOptions, (error, address, family) => {
        if (error) return callback(error, address, family);
        dialled.push(`${hostname} -> ${JSON.stringify(address)}`);
        callback(refuse(), '', 0);
      });
  });
  try {
    await call();
    return { error: undefined, dialled };
  } catch (error) {
    return { error, dialled };
  } finally {
    undo();
  }
}

/**
 * Simulates DNS rebinding: the lookup's approved answer is swapped for `address` just before
 * dialling, as if the resolver had answered differently at connect time. Returns the undo.
 */
export function swapDialledAddress(address: string): () => void {
  return beforeEachDial((options) => {
    const lookup = requireLookup(options);
    options.lookup = (hostname, dnsOptions, callback) =>
      lookup(hostname, dnsOptions, (error, approved, family) => {
        if (error) return callback(error, approved, family);
        if (dnsOptions.all) return callback(null, [{ address, family: isIP(address) }]);
        callback(null, address, isIP(address));
      });
  });
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.port;
}
