/**
 * A change whose NOTIFY could not be sent still reaches the other processes (docs/tokens-and-agents.md):
 * once the database answers again, the process that made it tells every process to empty its caches.
 * Process A reaches PostgreSQL through a loopback proxy the test cuts; process B connects directly.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { openPostgres, type Database } from '../src/db/database.ts';
import { openInvalidationChannel } from '../src/db/invalidation-notify.ts';
import { GroupedCache, type InvalidationChannel } from '../src/lib/invalidation.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { createScratchPostgresDatabase } from './helpers/test-database.ts';

const silent = pino({ level: 'silent' });
let scratch: { url: string; drop(): Promise<void> };
let proxy: TcpProxy;
const opened: { database: Database; close(): Promise<void> }[] = [];

async function openProcess(url: string) {
  const database = await openPostgres(url, { connection: { connectTimeoutMs: 500 } });
  const invalidation = await openInvalidationChannel(database, silent);
  opened.push({ database, close: invalidation.close });
  return invalidation.channel;
}

/** A cache of B's that tells when it is emptied, so the test waits on that event, not on time. */
class WatchedCache extends GroupedCache<string> {
  readonly emptied = new EventTarget();
  override invalidate(group: string | undefined): void {
    super.invalidate(group);
    if (group === undefined) this.emptied.dispatchEvent(new Event('everything'));
  }
}

before(async () => {
  scratch = await createScratchPostgresDatabase();
  const target = new URL(scratch.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
});

after(async () => {
  for (const { database, close } of opened) {
    await close();
    await database.close();
  }
  await proxy?.close();
  await scratch?.drop();
});

test(
  'a NOTIFY that failed is made up for once the database answers: the others empty their caches',
  { timeout: 30_000 },
  async () => {
    const throughProxy = new URL(scratch.url);
    throughProxy.port = String(proxy.port);
    const a: InvalidationChannel = await openProcess(throughProxy.toString());
    const b: InvalidationChannel = await openProcess(scratch.url);
    const cacheB = b.cache(
      'principals',
      () => new WatchedCache({ maxEntries: 10, ttlMs: 60_000, now: () => 0 }),
    );
    cacheB.set('token', 'shop_1', 'the old principal', cacheB.generation());

    await proxy.cut();
    // The change itself is the caller's; here only its message fails to go out.
    await a.invalidate('principals', 'shop_1');
    assert.equal(cacheB.get('token')?.value, 'the old principal', 'B cannot have heard of it yet');

    const emptied = once(cacheB.emptied, 'everything');
    await proxy.restore();
    await emptied;
    assert.equal(cacheB.get('token'), undefined);
  },
);
