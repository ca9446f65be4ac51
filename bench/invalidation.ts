/**
 * What the invalidation channel costs the requests it protects: token lookups answered from the
 * principal cache, with and without a stream of 10 invalidations per second, in one run.
 *
 * The cache is full (10,000 tokens of 100 shops) and the lookups go round 5,000 of them, so every
 * lookup is a hit. Each invalidation names a shop with nothing cached (another shop's change), so
 * every lookup stays a hit and what is measured is the channel's own work. On PostgreSQL the
 * stream comes from another channel, as another process's changes do (NOTIFY, then this process's
 * LISTEN connection); on PGlite it is this process's own (in-process). Quiet and stream phases
 * alternate, so a change in the machine's load falls on both.
 *
 * Run from the repo root: node --import tsx bench/invalidation.ts [pglite|postgres]...
 * PostgreSQL: PARLEY_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a scratch
 * database is created there and dropped.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { DatabaseKind } from '../apps/server/src/db/database.ts';
import { INVALIDATION_CHANNEL } from '../apps/server/src/db/invalidation-notify.ts';
import { apiTokens } from '../apps/server/src/db/schema.ts';
import { authenticateToken, createShop } from '../apps/server/src/features/shops/index.ts';
import { principalCache } from '../apps/server/src/features/shops/principal-cache.ts';
import { createManualClock } from '../apps/server/src/lib/clock.ts';
import { createInvalidationChannel } from '../apps/server/src/lib/invalidation.ts';
import { newId } from '../apps/server/src/lib/ids.ts';
import { generateToken, hashToken, tokenPrefix } from '../apps/server/src/lib/tokens.ts';
import { startParley } from './lib/parley.ts';

const POSTGRES_URL = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SHOPS = 100;
const TOKENS_PER_SHOP = 100;
const LOOKED_UP = 5_000;
const INVALIDATIONS_PER_SECOND = 10;
const PHASE_MS = 250;
const ROUNDS = 40;
/** Lookups between two turns of the event loop, where notifications and timers are handled. */
const LOOKUPS_PER_TURN = 200;

const cpuMicros = ({ user, system }: NodeJS.CpuUsage) => user + system;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function bench(kind: DatabaseKind): Promise<string[]> {
  // A clock that stands still: no entry reaches its lifetime (10 s) and no lookup writes "last used",
  // so every measured lookup is a hit and the phases differ only by the stream.
  const parley = await startParley(kind, {
    postgresUrl: POSTGRES_URL,
    options: { clock: createManualClock(new Date()) },
  });
  const { deps } = parley.runtime;
  try {
    // Tokens written as used just now, so no lookup writes "last used".
    const tokens: string[] = [];
    for (let s = 0; s < SHOPS; s++) {
      const { shop } = await createShop(deps, {
        name: `Shop ${s}`,
        country: 'ES',
        timezone: 'UTC',
        locale: 'es-ES',
      });
      const rows = Array.from({ length: TOKENS_PER_SHOP }, () => {
        const token = generateToken('shop');
        tokens.push(token);
        return {
          id: newId('tok'),
          shopId: shop.id,
          kind: 'shop' as const,
          tokenHash: hashToken(token),
          tokenPrefix: tokenPrefix(token),
          lastUsedAt: deps.clock.now(),
        };
      });
      await deps.db.insert(apiTokens).values(rows);
    }
    for (const token of tokens) {
      if ((await authenticateToken(deps, token)) === null) throw new Error('a bench token was refused');
    }
    const cache = principalCache(deps);
    if (cache.size !== tokens.length) throw new Error(`expected a full cache, got ${cache.size}`);
    const lookedUp = tokens.slice(0, LOOKED_UP);

    // Another process's channel on PostgreSQL; this process's own on PGlite.
    const sender =
      kind === 'postgres'
        ? createInvalidationChannel({
            broadcast: async (payload) => {
              await deps.db.execute(sql`select pg_notify(${INVALIDATION_CHANNEL}, ${payload})`);
            },
          })
        : deps.invalidation;

    // One timer for the whole run, sending only during stream phases: both kinds of phase run it.
    let streaming = false;
    let sent = 0;
    const stream = setInterval(() => {
      if (streaming) void sender.invalidate('principals', `shop_elsewhere_${sent++}`);
    }, 1_000 / INVALIDATIONS_PER_SECOND);

    let next = 0;
    const phase = async (withStream: boolean) => {
      streaming = withStream;
      // Microsecond resolution (the per-thread counter ticks every 10 ms); the database and the
      // LISTEN connection are on this thread too, so the channel's own work is counted.
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      let lookups = 0;
      while (performance.now() - started < PHASE_MS) {
        for (let i = 0; i < LOOKUPS_PER_TURN; i++) {
          await authenticateToken(deps, lookedUp[next++ % lookedUp.length]!);
        }
        lookups += LOOKUPS_PER_TURN;
        await yieldToIo();
      }
      const seconds = (performance.now() - started) / 1000;
      if (cache.size !== tokens.length) throw new Error('an invalidation removed a looked-up token');
      return { perSecond: lookups / seconds, cpuUs: cpuMicros(process.cpuUsage(cpuBefore)) / lookups };
    };

    await phase(false); // warm-up, unmeasured
    const generationBefore = cache.generation();
    // Short phases in pairs, quiet-stream then stream-quiet: the machine's load (2 cores shared with
    // other work) changes less within a pair than over the run, and neither kind always goes first.
    const pairs: Array<{
      quiet: Awaited<ReturnType<typeof phase>>;
      stream: Awaited<ReturnType<typeof phase>>;
    }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const first = await phase(round % 2 === 1);
      const second = await phase(round % 2 === 0);
      pairs.push(round % 2 === 0 ? { quiet: first, stream: second } : { quiet: second, stream: first });
    }
    streaming = false;
    clearInterval(stream);
    const received = cache.generation() - generationBefore;

    // The same work without the lookups around it: a message from another process, received and applied.
    const message = JSON.stringify({ origin: 'bench', topic: 'principals', key: 'shop_elsewhere' });
    const receiving = process.cpuUsage();
    for (let i = 0; i < 1_000; i++) deps.invalidation.receive(message);
    const perMessageUs = cpuMicros(process.cpuUsage(receiving)) / 1_000;

    const cpuQuiet = median(pairs.map((p) => p.quiet.cpuUs));
    const cpuStream = median(pairs.map((p) => p.stream.cpuUs));
    // Lookups per second of one core's CPU time: what the channel takes from the lookups, whatever
    // else the machine runs. The wall-clock rate moves with the other processes on the 2 cores.
    const perCore = (cpuUs: number) => Math.round(1e6 / cpuUs).toLocaleString('en');
    const rate = (value: number) => Math.round(value).toLocaleString('en');
    const ratios = pairs.map((p) => p.quiet.cpuUs / p.stream.cpuUs).sort((a, b) => a - b);
    const at = (q: number) => ratios[Math.floor(q * (ratios.length - 1))] ?? NaN;
    const change = (at(0.5) - 1) * 100;
    return [
      `${kind}: ${tokens.length.toLocaleString('en')} tokens cached, ${LOOKED_UP.toLocaleString('en')} looked up; ${ROUNDS} pairs of ${PHASE_MS} ms phases`,
      `  cache hits, quiet               ${perCore(cpuQuiet)}/s per core (CPU ${cpuQuiet.toFixed(2)} µs/lookup), wall ${rate(median(pairs.map((p) => p.quiet.perSecond)))}/s  (baseline)`,
      `  cache hits, ${INVALIDATIONS_PER_SECOND} invalidations/s   ${perCore(cpuStream)}/s per core (CPU ${cpuStream.toFixed(2)} µs/lookup), wall ${rate(median(pairs.map((p) => p.stream.perSecond)))}/s  (${received} of ${sent} invalidations received)`,
      `  one invalidation received: ${perMessageUs.toFixed(1)} µs of CPU (a shop with nothing cached, the cache full): ${INVALIDATIONS_PER_SECOND}/s take ${((perMessageUs * INVALIDATIONS_PER_SECOND) / 1e4).toFixed(3)} % of a core`,
      `  ratio stream / quiet per core, median of pairs  x${at(0.5).toFixed(3)} (${change >= 0 ? '+' : ''}${change.toFixed(1)} %; target within 5 %: ${Math.abs(change) <= 5 ? 'ok' : 'missed'}); middle half of the pairs x${at(0.25).toFixed(3)} to x${at(0.75).toFixed(3)}`,
    ];
  } finally {
    await parley.close();
  }
}

const kinds = (process.argv.slice(2) as DatabaseKind[]).filter((k) => k === 'pglite' || k === 'postgres');
process.stdout.write(
  'Invalidation channel: principal-cache hits with and without a stream of invalidations\n',
);
for (const kind of kinds.length > 0 ? kinds : (['pglite', 'postgres'] as const)) {
  process.stdout.write(`${(await bench(kind)).join('\n')}\n`);
}
