// The floor of start-up and memory (bench/startup.ts): what any server on the embedded database pays
// and Parley cannot go under. It opens PGlite on FLOOR_DATA_DIR (initdb when the folder is new) and
// serves GET /health with Fastify, nothing else.
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const db = new PGlite(process.env.FLOOR_DATA_DIR);
await db.waitReady;
const app = Fastify();
app.get('/health', async () => {
  await db.query('select 1');
  return { status: 'ok' };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
