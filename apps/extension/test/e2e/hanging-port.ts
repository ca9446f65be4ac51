/**
 * A CRM that accepts connections and never answers, on the CRM's own port: what a hung CRM looks like
 * to Parley. `drop()` then cuts every connection, which is what a crashed one looks like.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

export async function hangOnPort(port: number): Promise<{ drop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    async drop() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
