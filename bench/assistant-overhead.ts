/**
 * The AI assistant's own overhead per reply: everything POST /api/ai/suggest-reply spends that is
 * not the model's or the functions' time (auth, shop and settings reads, the credit reservation and
 * settlement, context, prompt, tool loop bookkeeping, the function log). The server reports where
 * each reply's time went (Server-Timing); overhead = total - model - functions. The model is a
 * scripted OpenAI-compatible server answering at once; the baseline, measured in the same run, is
 * a bare POST of the same Chat Completions body to it. On a shared machine wall-clock figures move
 * with the load, so the load average and the CPU time per call (the whole process: server, embedded
 * database, scripted model and client) are printed too.
 * Runs on the embedded PGlite, then on PostgreSQL at PARLEY_BENCH_DATABASE_URL (default the CI server)
 * when it is reachable.
 * Run from the repo root: node --import tsx bench/assistant-overhead.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import type { DatabaseKind } from '../apps/server/src/db/database.ts';
import { functionTools } from '../apps/server/src/features/functions/index.ts';
import { createShop } from '../apps/server/src/features/shops/index.ts';
import { directTools } from '../apps/server/test/helpers/direct-tools.ts';
import { startScriptedLlm, type ScriptedLlm } from '../apps/server/test/helpers/scripted-llm.ts';
import { createScratchPostgresDatabase } from '../apps/server/test/helpers/test-database.ts';
import { startParley } from './lib/parley.ts';
import { measureSequential, percentiles, type Percentiles } from './lib/stats.ts';

const ITERATIONS = 500;
const WARMUP = 50;
const POSTGRES_URL = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const messages = [
  { direction: 'in', text: 'Hola, ¿dónde está mi pedido A-1?', sent_at: '2026-03-02T09:00:00Z' },
  { direction: 'out', text: 'Hola, lo miro ahora mismo.', sent_at: '2026-03-02T09:01:00Z' },
];

/** `measureSequential` plus the process CPU time per call, warm-up included. */
async function withCpu<T>(run: () => Promise<T>): Promise<T & { cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: (used.user + used.system) / 1000 / (ITERATIONS + WARMUP) };
}

/** Server-side overhead of one reply, from its Server-Timing header. */
function overheadOf(serverTiming: string | null): number {
  const timing = Object.fromEntries(
    (serverTiming ?? '')
      .split(',')
      .map((entry) => /(\w+);dur=([\d.]+)/.exec(entry))
      .filter((match) => match !== null)
      .map((match) => [match[1], Number(match[2])]),
  ) as Record<string, number>;
  return (timing.total ?? NaN) - (timing.model ?? 0) - (timing.functions ?? 0);
}

async function measureReplies(llm: ScriptedLlm, apiPort: number, kind: DatabaseKind) {
  const parley = await startParley(kind, {
    postgresUrl: POSTGRES_URL,
    env: { PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'scripted', PARLEY_LLM_API_KEY: 'sk-bench' },
  });
  const { runtime } = parley;
  try {
    const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const { shop, token } = await createShop(runtime.deps, {
      name: 'Bench',
      country: 'ES',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
    });
    await directTools(functionTools, runtime.deps, shop.id).apply('update_custom_functions', {
      add_function: {
        name: 'get_order',
        description: 'Looks up an order',
        parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
        endpoint: `http://127.0.0.1:${apiPort}/orders`,
        method: 'GET',
      },
    });

    async function scenario(prepare: () => void) {
      const overheads: number[] = [];
      const endToEnd = await withCpu(() =>
        measureSequential(
          async () => {
            prepare();
            const response = await fetch(`${base}/api/ai/suggest-reply`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ phone: '+34655123987', messages }),
            });
            await response.arrayBuffer();
            if (response.status !== 200) throw new Error(`suggest-reply answered ${response.status}`);
            overheads.push(overheadOf(response.headers.get('server-timing')));
          },
          { iterations: ITERATIONS, warmup: WARMUP },
        ),
      );
      return { overhead: percentiles(overheads.slice(WARMUP)), endToEnd };
    }

    llm.reset();
    llm.setFallback({ text: 'Hola, ¿en qué puedo ayudarte?' });
    const plain = await scenario(() => {});
    const withFunction = await scenario(() =>
      llm.script(
        { toolCalls: [{ name: 'get_order', arguments: { order_id: 'A-1' } }] },
        { text: 'Ya ha salido.' },
      ),
    );
    return { kind, plain, withFunction, recorded: llm.requests.at(-1)?.body };
  } finally {
    await parley.close();
  }
}

async function postgresReachable(): Promise<boolean> {
  try {
    await (await createScratchPostgresDatabase(POSTGRES_URL)).drop();
    return true;
  } catch {
    return false;
  }
}

const llm = await startScriptedLlm();
// The business API of the function scenario: answers at once.
const api = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"shipped"}'),
);
await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
const apiPort = (api.address() as AddressInfo).port;
try {
  const kinds: DatabaseKind[] = (await postgresReachable()) ? ['pglite', 'postgres'] : ['pglite'];
  const runs = [];
  for (const kind of kinds) runs.push(await measureReplies(llm, apiPort, kind));

  llm.reset();
  llm.setFallback({ text: 'ok' });
  const body = JSON.stringify(runs[0]?.recorded);
  const baseline = await withCpu(() =>
    measureSequential(
      async () => {
        const response = await fetch(`${llm.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
          body,
        });
        await response.arrayBuffer();
      },
      { iterations: ITERATIONS, warmup: WARMUP },
    ),
  );

  const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(9);
  const row = (label: string, p: Percentiles, cpuMs?: number) =>
    `${label.padEnd(50)} p50 ${ms(p.p50)}  p99 ${ms(p.p99)}${cpuMs === undefined ? '' : `  CPU/call ${ms(cpuMs)}`}`;
  const ratio = (p: Percentiles) =>
    `p50 ${(p.p50 / baseline.p50).toFixed(1)}x  p99 ${(p.p99 / baseline.p99).toFixed(1)}x`;
  const lines = [
    `AI reply overhead, ${ITERATIONS} sequential replies per scenario over loopback HTTP; target p50 <= 10 ms`,
    row('baseline: bare POST to the scripted model', baseline, baseline.cpuMs),
  ];
  for (const { kind, plain, withFunction } of runs) {
    lines.push(
      `-- ${kind}`,
      row('overhead, reply without functions (1 model call)', plain.overhead),
      row('overhead, reply with 1 GET function (2 calls)', withFunction.overhead),
      row('end to end, reply without functions', plain.endToEnd, plain.endToEnd.cpuMs),
      row('end to end, reply with 1 GET function', withFunction.endToEnd, withFunction.endToEnd.cpuMs),
      `ratio overhead / baseline: without functions ${ratio(plain.overhead)}; with 1 function ${ratio(withFunction.overhead)}`,
    );
  }
  lines.push(
    `load average at the end: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await llm.close();
  await new Promise((resolve) => api.close(resolve));
}
