/**
 * A Smart Follow-up run over one shop's 10,000 conversations (1,000,000 stored messages), on PGlite
 * and on PostgreSQL, with a model that answers at once and a CRM that finds no purchase, in one run:
 *  - the intake baseline: POST /api/conversations/messages of a 3-message conversation, one after another;
 *  - candidate selection: the run's conversations picked from the 10,000 with activity in its window;
 *  - Parley's time per analysed conversation: the time between two consecutive model requests of a
 *    run capped at 1,000 analyses (history, messages, credits, the model's instant answer, the
 *    purchase check, the follow-up), and the main thread's CPU for it;
 *  - the server's RSS and heap before and after the run, each after a full garbage collection.
 * The model and the CRM run in worker threads: the main thread's CPU time is Parley's.
 *
 *   node --import tsx bench/smart-followup.ts [conversations=10000] [messagesEach=100] [pglite,postgres]
 * PostgreSQL: PARLEY_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import { queryRows, type DatabaseKind } from '../apps/server/src/db/database.ts';
import { createShop } from '../apps/server/src/features/shops/index.ts';
import { selectCandidates } from '../apps/server/src/features/followup/candidates.ts';
import { startInstantModel, type InstantModel } from './lib/instant-model-worker.ts';
import { startParley } from './lib/parley.ts';
import { ms, percentiles, ratio } from './lib/stats.ts';
import { startCpuMeter } from './lib/thread-cpu.ts';

const CONVERSATIONS = Number(process.argv[2] ?? 10_000);
const MESSAGES_EACH = Number(process.argv[3] ?? 100);
const ANALYSED = 1_000;
const INTAKES = 300;
const ADMIN_TOKEN = `pk_admin_${randomBytes(16).toString('hex')}`;
const POSTGRES_URL = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_MS: Record<DatabaseKind, number> = { postgres: 5, pglite: 10 };

const analysis = {
  intent_level: 'high',
  outcome: 'abandoned',
  product_mentioned: 'Runner Pro talla 42',
  customer_objection: 'gastos de envío',
  sentiment: 'neutral',
  opt_out_requested: false,
  evidence_message_ids: ['m1'],
  suggested_message: '¡Hola! Seguimos teniendo tus Runner Pro en la 42. ¿Te cuento el envío?',
  reason: 'Asked for a size and hesitated over shipping.',
};

// A full collection before each reading, so that garbage left by the seeding is not counted as the run's.
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;
const memoryMb = () => {
  collectGarbage();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: Math.round(rss / 1_048_576), heap: Math.round(heapUsed / 1_048_576) };
};

async function mcp(
  runtime: Awaited<ReturnType<typeof startParley>>['runtime'],
  token: string,
  name: string,
  args: object,
) {
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/mcp',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'mcp-protocol-version': '2025-06-18',
    },
    payload: {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: { ...args, confirm: true } },
    },
  });
  const result = (response.json() as { result?: { isError?: boolean } }).result;
  if (result === undefined || result.isError === true) throw new Error(`${name}: ${response.body}`);
}

async function benchOne(kind: DatabaseKind, model: InstantModel) {
  const parley = await startParley(kind, {
    postgresUrl: POSTGRES_URL,
    env: {
      PARLEY_LLM_BASE_URL: model.baseUrl,
      PARLEY_LLM_MODEL: 'bench',
      PARLEY_MCP_RATE_LIMIT: '100000',
      PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
    },
  });
  try {
    const { runtime } = parley;
    const { db } = runtime.deps;
    const { shop, token } = await createShop(runtime.deps, {
      name: 'Bench',
      country: 'ES',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
    });
    await mcp(runtime, token, 'update_crm_endpoints', {
      add_crm_endpoint: { type: 'verify_conversion', url: `${model.crmUrl}/verify`, method: 'GET' },
    });
    // A month's free credits pay for ~980 analyses of this size: enough for the run to reach its cap.
    const bought = await runtime.app.inject({
      method: 'POST',
      url: `/api/admin/shops/${shop.id}/credits`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { amount: 10_000_000, reference: 'bench' },
    });
    if (bought.statusCode >= 300) throw new Error(bought.body);
    // Follow-ups due a day later: the run alone is measured, not the check each one gets when it falls due.
    await mcp(runtime, token, 'save_smart_followup_config', {
      max_conversations: ANALYSED,
      lookback_hours: 48,
      delay_days: 1,
    });

    // The intake baseline, on conversations of another shop so that they are not candidates.
    const other = await createShop(runtime.deps, {
      name: 'Intake',
      country: 'ES',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
    });
    const intake: number[] = [];
    const now = Date.now();
    for (let i = 0; i < INTAKES + 50; i++) {
      const started = performance.now();
      const response = await runtime.app.inject({
        method: 'POST',
        url: '/api/conversations/messages',
        headers: { authorization: `Bearer ${other.token}` },
        payload: {
          chat_phone: `+3465${String(5_000_000 + i).padStart(7, '0')}`,
          messages: [
            {
              id: 'm1',
              direction: 'in',
              text: '¿Tenéis las Runner Pro en la 42?',
              sent_at: new Date(now - 3_000).toISOString(),
            },
            {
              id: 'm2',
              direction: 'out',
              text: 'Sí, a 89,90 €',
              sent_at: new Date(now - 2_000).toISOString(),
            },
            { id: 'm3', direction: 'in', text: 'Lo pienso', sent_at: new Date(now - 1_000).toISOString() },
          ],
        },
      });
      if (response.statusCode !== 200) throw new Error(response.body);
      if (i >= 50) intake.push(performance.now() - started);
    }
    const intakeP50 = percentiles(intake).p50;

    // 1,000,000 messages in 10,000 chats over the last 40 hours, the customer writing last.
    const seedStarted = performance.now();
    await db.execute(sql`
      INSERT INTO conversation_chats (shop_id, chat_phone, chat_name, first_seen_at, last_message_at, last_message_id, updated_at)
      SELECT ${shop.id}, '+3466' || lpad(c::text, 7, '0'), 'Chat ' || c, now() - interval '2 days',
             now() - (c * interval '14 seconds'), 'm' || ${MESSAGES_EACH}::int, now()
      FROM generate_series(1, ${CONVERSATIONS}::int) AS c`);
    for (let from = 1; from <= CONVERSATIONS; from += 1_000) {
      await db.execute(sql`
        INSERT INTO conversation_messages (shop_id, chat_phone, message_id, direction, text, sent_at, received_at)
        SELECT ${shop.id}, '+3466' || lpad(c::text, 7, '0'), 'm' || m, d.direction, d.text,
               now() - (c * interval '14 seconds') - ((${MESSAGES_EACH}::int - m) * interval '1 minute'), now()
        FROM generate_series(${from}::int, ${Math.min(from + 999, CONVERSATIONS)}::int) AS c,
             generate_series(1, ${MESSAGES_EACH}::int) AS m,
             LATERAL (SELECT CASE WHEN m % 2 = 1 OR m = ${MESSAGES_EACH}::int THEN 'in' ELSE 'out' END AS direction,
               CASE WHEN m % 2 = 1 OR m = ${MESSAGES_EACH}::int
                 THEN 'Hola, ¿tenéis la talla 42 en azul? ¿Cuánto tarda el envío?'
                 ELSE 'Sí, la tenemos a 89,90 €, ¿te la reservo?' END AS text) AS d`);
    }
    await db.execute(sql`ANALYZE`);
    const seedMs = performance.now() - seedStarted;

    const window = { from: new Date(Date.now() - 48 * 3_600_000), to: new Date() };
    const selection: number[] = [];
    let candidates = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      candidates = (
        await selectCandidates(db, {
          id: 'fur_bench',
          shopId: shop.id,
          trigger: 'manual',
          chatPhone: null,
          status: 'running',
          windowFrom: window.from,
          windowTo: window.to,
          leaseUntil: null,
          claimedBy: null,
          stopReason: null,
          startedAt: window.to,
          finishedAt: null,
        })
      ).length;
      selection.push(performance.now() - started);
    }

    const before = memoryMb();
    await model.takeArrivals();
    const cpu = startCpuMeter();
    const runStarted = performance.now();
    await mcp(runtime, token, 'trigger_smart_followup', {});
    await runtime.worker.drain();
    const runMs = performance.now() - runStarted;
    const arrivals = await model.takeArrivals();
    const cpuPerAnalysis = cpu(arrivals.length) / 1000;
    const after = memoryMb();
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number));
    const log = await queryRows<{ outcome: string; n: number }>(
      db,
      sql`select coalesce(skip_reason, action) as outcome, count(*)::int as n from followup_analyses
          where shop_id = ${shop.id} group by 1 order by 2 desc`,
    );
    const outcomes = log.map((row) => `${row.n.toLocaleString('en')} ${row.outcome}`).join(', ');
    return {
      kind,
      intakeP50,
      seedMs,
      selection: percentiles(selection),
      candidates,
      analysed: arrivals.length,
      perAnalysis: percentiles(gaps),
      cpuPerAnalysis,
      runMs,
      before,
      after,
      outcomes,
    };
  } finally {
    await parley.close();
  }
}

const load = loadavg()
  .map((value) => value.toFixed(1))
  .join(' / ');
const model = await startInstantModel({
  content: JSON.stringify(analysis),
  crm: { found: true, converted: false, orders: [] },
});
try {
  const kinds = (process.argv[4] ?? 'pglite,postgres').split(',') as DatabaseKind[];
  for (const kind of kinds) {
    const r = await benchOne(kind, model);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    console.log(
      `\n${kind}: ${CONVERSATIONS.toLocaleString('en')} conversations, ${(CONVERSATIONS * MESSAGES_EACH).toLocaleString('en')} messages (seeded in ${(r.seedMs / 1000).toFixed(1)} s)`,
    );
    console.log(`  intake, one 3-message conversation   p50 ${ms(r.intakeP50)}  (baseline)`);
    console.log(
      `  candidate selection (${r.candidates.toLocaleString('en')} chats)  p50 ${ms(r.selection.p50)}  ${ratio(r.selection.p50, r.intakeP50)} of intake  (target <= 1,000 ms: ${verdict(r.selection.p50 <= 1_000)})`,
    );
    console.log(
      `  per analysed conversation            p50 ${ms(r.perAnalysis.p50)}  p95 ${ms(r.perAnalysis.p95)}  ${ratio(r.perAnalysis.p50, r.intakeP50)} of intake  main-thread CPU ${ms(r.cpuPerAnalysis)}  (target <= ${TARGET_MS[r.kind]} ms: ${verdict(r.perAnalysis.p50 <= TARGET_MS[r.kind])})`,
    );
    console.log(
      `  the run: ${r.analysed} model calls; its log: ${r.outcomes}; ${(r.runMs / 1000).toFixed(1)} s in all`,
    );
    console.log(
      `  server after a full GC, before the run: RSS ${r.before.rss} MB, heap ${r.before.heap} MB; after: RSS ${r.after.rss} MB (${r.after.rss - r.before.rss >= 0 ? '+' : ''}${r.after.rss - r.before.rss} MB), heap ${r.after.heap} MB`,
    );
  }
  console.log(`\nload average before: ${load}; Node ${process.version}`);
} finally {
  await model.close();
}
