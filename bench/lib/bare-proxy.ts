/**
 * The least any lookup service in front of a CRM must do, with no Parley code: `node:http` in, one
 * keep-alive undici call to the CRM, the answer parsed and serialized again, out. It runs on the main
 * thread like the server, so its added latency over direct calls is the floor of one extra hop on
 * the machine at hand, which the panel's added latency can be read against.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export interface BareProxy {
  /** `${url}/any/path?query` calls the CRM's `crmPath` with the same query. */
  url: string;
  close(): Promise<void>;
}

export async function startBareProxy(crmOrigin: string, crmPath: string): Promise<BareProxy> {
  const pool = new Pool(crmOrigin, { connections: 32 });
  const server = createServer((request, response) => {
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const query = queryAt === -1 ? '' : target.slice(queryAt);
    pool
      .request({ method: 'GET', path: `${crmPath}${query}` })
      .then((answer) => answer.body.json())
      .then((answer) => {
        const body = JSON.stringify({ status: 'found', ...(answer as object) });
        response
          .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
          .end(body);
      })
      .catch((error: unknown) => {
        const body = String(error);
        response.writeHead(502, { 'content-length': Buffer.byteLength(body) }).end(body);
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await pool.close();
    },
  };
}
