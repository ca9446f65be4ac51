/**
 * A loopback TCP proxy in front of a real server (PostgreSQL), for tests of what a process does when
 * that server stops answering: `freeze()` keeps every connection open but passes no byte either way
 * (a frozen network or a paused VM: no error, no close), `thaw()` lets the held bytes through, `cut()`
 * resets every connection and refuses new ones (the server is down) until `restore()`.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections made through the proxy so far. */
  connections(): number;
  freeze(): void;
  thaw(): void;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let frozen = false;
  let made = 0;
  let port = 0;

  function pipeHeld(from: Socket, to: Socket): void {
    // Paused sockets buffer what arrives (and TCP backpressure stops the sender), as a frozen link would.
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!frozen) from.resume();
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  }

  const onConnection = (client: Socket) => {
    made++;
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    pipeHeld(client, upstream);
    pipeHeld(upstream, client);
    if (frozen) {
      client.pause();
      upstream.pause();
    }
  };

  let server: Server = createServer(onConnection);
  const listen = (on: Server, at: number) =>
    new Promise<void>((resolve) => {
      on.listen(at, '127.0.0.1', () => {
        port = (on.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen(server, 0);

  const closeServer = (on: Server) => new Promise<void>((resolve) => on.close(() => resolve()));

  return {
    get port() {
      return port;
    },
    connections: () => made,
    freeze() {
      frozen = true;
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    thaw() {
      frozen = false;
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    async cut() {
      const closed = closeServer(server);
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      await closed;
    },
    async restore() {
      server = createServer(onConnection);
      await listen(server, port);
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      if (server.listening) await closeServer(server);
    },
  };
}
