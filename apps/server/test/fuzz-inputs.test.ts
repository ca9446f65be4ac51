/**
 * No input ends as a fault. Every REST route the app serves (read from the router, so a new route
 * is fuzzed without touching this file) and every MCP tool (read from tools/list) gets values a
 * careless or hostile caller sends: NUL characters, nesting thousands of levels deep, huge strings,
 * wrong types, odd path parameters and query strings. Any 5xx, JSON-RPC -32603, or an error answer
 * that is not Parley's {"error":{"code","message"}} shape (or that echoes the input unbounded) fails.
 * The generator is seeded, so a failure replays exactly: the seed is in every failure message.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { postMcp } from './helpers/mcp.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

const SEED = 0x5eed_2026;
const CASES_PER_ROUTE = 36;
const CASES_PER_TOOL = 30;
/** Error messages may name fields and say what to fix; they never carry a body's worth of input. */
const MAX_ERROR_MESSAGE_CHARS = 4_000;

/** mulberry32: small, fast, and the same sequence on every machine for one seed. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Random = ReturnType<typeof seededRandom>;

/** A JSON text nested `depth` levels deep, written out directly: JSON.stringify would overflow first. */
const deepArrayJson = (depth: number, leaf = '"x"') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
const deepObjectJson = (depth: number, leaf = '"x"') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

/**
 * A JSON value as text. Hostile values first (each is what the issue names), plain wrong types
 * after; `hint` is a plausible valid value for the field, mutated half of the time.
 */
function fuzzValueJson(random: Random, hint?: unknown): string {
  const options: Array<() => string> = [
    () => JSON.stringify('a\u0000b'),
    () => JSON.stringify('\u0000'),
    () => JSON.stringify({ inner: 'x\u0000y' }),
    () => JSON.stringify({ ['k\u0000ey']: 1 }),
    () => JSON.stringify(['ok', 'nul\u0000']),
    () => deepArrayJson(5_000),
    () => deepObjectJson(3_000),
    () => deepArrayJson(70, JSON.stringify('in')),
    () => JSON.stringify('x'.repeat(200_000)),
    () => JSON.stringify('é🙂'.repeat(20_000)),
    () => JSON.stringify(Array.from({ length: 5_000 }, (_, i) => i)),
    () =>
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}${'x'.repeat(50)}`, i])),
      ),
    () => '"\\ud800"',
    () => JSON.stringify(''),
    () => JSON.stringify(' '),
    () => JSON.stringify('-1'),
    () => '-1',
    () => '0',
    () => '1e308',
    () => '123456789012345678901234567890',
    () => '0.5',
    () => 'true',
    () => 'false',
    () => 'null',
    () => '[]',
    () => '{}',
    () => '{"__proto__":{"polluted":true}}',
    () => JSON.stringify('2026-02-30T25:61:00Z'),
    () => JSON.stringify('+34612345678'),
    () => JSON.stringify('http://127.0.0.1:1/x'),
    () => JSON.stringify('../../etc/passwd'),
    () => JSON.stringify('<<<END_PARLEY_DATA>>>'),
  ];
  if (hint !== undefined && random.next() < 0.35) return mutateHint(random, hint);
  return random.pick(options)();
}

/** A valid-looking value with one hazard planted in it, so checks beyond the first one are reached. */
function mutateHint(random: Random, hint: unknown): string {
  if (typeof hint === 'string') {
    return JSON.stringify(
      random.pick([`${hint}\u0000`, hint.repeat(5_000), `${hint}${'🙂'.repeat(3)}`, hint.toUpperCase()]),
    );
  }
  if (Array.isArray(hint)) return JSON.stringify([...hint, 'a\u0000', null]);
  if (typeof hint === 'object' && hint !== null) {
    const keys = Object.keys(hint);
    const key = keys.length > 0 ? random.pick(keys) : 'field';
    return JSON.stringify({ ...hint, [key]: random.pick(['x\u0000', 42, null, [], 'y'.repeat(100_000)]) });
  }
  return JSON.stringify(hint);
}

/** An object body whose fields are the route's own field names (learned from its errors) plus strays. */
function fuzzObjectJson(random: Random, fields: readonly string[]): string {
  const names = [...fields, 'name', 'id', 'phone', 'unknown_field', 'x'.repeat(300), 'nul\u0000key'];
  const chosen = new Set<string>();
  const count = 1 + random.int(Math.min(5, names.length));
  while (chosen.size < count) chosen.add(random.pick(names));
  return `{${[...chosen].map((name) => `${JSON.stringify(name)}:${fuzzValueJson(random)}`).join(',')}}`;
}

/**
 * The route's required fields (learned from its errors), each with a plausible value, one of them
 * with a hazard planted half of the time: so requests get past the first check to what lies behind.
 */
function plausibleObjectJson(random: Random, fields: readonly string[]): string {
  const target = random.next() < 0.5 ? random.pick(fields) : undefined;
  return `{${fields
    .map((name) => {
      const plausible = exampleFor(undefined, name);
      return `${JSON.stringify(name)}:${name === target ? fuzzValueJson(random, plausible) : JSON.stringify(plausible)}`;
    })
    .join(',')}}`;
}

function fuzzBodyJson(random: Random, fields: readonly string[]): string {
  const roll = random.next();
  if (roll < 0.3 && fields.length > 0) return plausibleObjectJson(random, fields);
  if (roll < 0.7) return fuzzObjectJson(random, fields);
  if (roll < 0.8) return fuzzValueJson(random);
  if (roll < 0.9) return random.pick(['{"a":', '{bad json}', '\u0000', '[1,2', '"unterminated']);
  return deepObjectJson(20_000);
}

const pathParamValues = [
  'a%00b',
  '%00',
  'x'.repeat(199),
  'x'.repeat(201),
  '%E0%A4%A',
  '%',
  '..',
  'null',
  '-1',
  '%F0%9F%99%82',
  'id%20with%20space',
  encodeURIComponent('<script>'),
  '%2F',
];

function fuzzQuery(random: Random, fields: readonly string[]): string {
  const names = [...fields, 'phone', 'q', 'limit', 'status', 'kind', 'cursor', 'x'];
  const values = [
    'a%00b',
    '%00',
    'x'.repeat(4_000),
    '-1',
    '1e308',
    '%E0%A4%A',
    '',
    '[]',
    '%7B%7D',
    'true',
    '99999999999999999999',
  ];
  const parts: string[] = [];
  const count = 1 + random.int(4);
  for (let i = 0; i < count; i++) {
    const name = random.pick(names);
    const shape = random.int(4);
    const value = random.pick(values);
    if (shape === 0) parts.push(`${name}=${value}`, `${name}=${value}`);
    else if (shape === 1) parts.push(`${name}[a][b]=${value}`);
    else if (shape === 2) parts.push(`${name}[]=${value}`);
    else parts.push(`${name}=${value}`);
  }
  return parts.join('&');
}

interface Route {
  method: string;
  path: string;
}

/** The router's own listing (`printRoutes`), flattened: every method of every path. */
function listRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line.replace(/\s+$/, ''));
    if (match === null) continue;
    const [, indent = '', segment = '', methods = ''] = match;
    const depth = Math.round(indent.length / 4);
    stack.length = depth;
    const path = `${stack.at(-1) ?? ''}${segment}`;
    stack.push(path);
    for (const method of methods.split(', ')) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

/** A problem with one answer, or undefined when it is an acceptable answer. */
function problemWithHttpAnswer(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `answered ${response.statusCode}`;
  if (response.statusCode < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `answered ${response.statusCode} without a JSON body`;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return `answered ${response.statusCode} outside the {"error":{"code","message"}} shape`;
  }
  if (error.message.length > MAX_ERROR_MESSAGE_CHARS) {
    return `error message of ${error.message.length} characters (the input echoed unbounded?)`;
  }
  return undefined;
}

const isError = (result: unknown) => (result as { isError?: boolean } | undefined)?.isError === true;

const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

let t: TestApp;
let llm: ScriptedLlm;
const tokens: Record<'admin' | 'shop' | 'agent', string> = { admin: TEST_ADMIN_TOKEN, shop: '', agent: '' };

before(async () => {
  // What the model writes is input too: each reply that reaches it first gets a hostile function
  // call (NUL characters, deep nesting, an unknown name), then a text with a NUL and a fence marker.
  llm = await startScriptedLlm();
  const hostileCalls = [
    { name: 'lookup\u0000', arguments: '{"q":"a"}' },
    { name: 'order_status', arguments: '{"q":"a\\u0000b"}' },
    { name: 'order_status', arguments: `{"q":${deepArrayJson(2_000)}}` },
    { name: 'order_status', arguments: '{"q\\u0000":1}' },
  ];
  for (let round = 0; round < 40; round++) {
    llm.script(
      { toolCalls: [hostileCalls[round % hostileCalls.length]!] },
      { text: 'Hola\u0000 <<<END_PARLEY_DATA>>>' },
    );
  }
  llm.setFallback({ text: 'Hola\u0000' });
  t = await startTestApp({
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'scripted-model',
    // Thousands of calls in a minute: the rate limit would answer most of them before the tool runs.
    PARLEY_MCP_RATE_LIMIT: '1000000',
  });
  const shop = await t.createShop('Fuzzed shop');
  tokens.shop = shop.token;
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/agents',
    headers: { authorization: `Bearer ${shop.token}` },
    payload: { nickname: 'fuzz', name: 'Fuzz Agent', permissions: ['panel', 'conversations', 'ai'] },
  });
  assert.equal(agent.statusCode, 201, agent.body);
  tokens.agent = (agent.json() as { token: string }).token;
  // A function the model may call, so its calls are run (and refused) rather than never offered.
  const fn = await postMcp(
    t.app,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'update_custom_functions',
        arguments: {
          add_function: {
            name: 'order_status',
            description: 'Order status',
            parameters: { type: 'object', properties: { q: { type: 'string' } } },
            endpoint: 'http://127.0.0.1:9/fn',
          },
          confirm: true,
        },
      },
    },
    { token: shop.token },
  );
  assert.equal((fn.json.result as { isError?: boolean }).isError, undefined, fn.text);
});
after(async () => {
  await t.close();
  await llm.close();
});

describe('every REST route', () => {
  test("answers every fuzzed input with a 4xx in Parley's shape, or a success; never a 5xx", async () => {
    const random = seededRandom(SEED);
    const routes = listRoutes(t.app.printRoutes({ commonPrefix: false })).filter(
      (route) => !route.path.startsWith('/api/mcp'),
    );
    assert.ok(routes.length >= 20, `the router lists ${routes.length} routes`);
    const failures: string[] = [];

    for (const route of routes) {
      const send = (options: { url: string; token?: string; payload?: string; contentType?: string }) =>
        t.app.inject({
          method: route.method as 'GET',
          url: options.url,
          headers: {
            ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
            ...(options.payload === undefined
              ? {}
              : { 'content-type': options.contentType ?? 'application/json' }),
          },
          ...(options.payload === undefined ? {} : { payload: options.payload }),
        });
      const withBody = route.method !== 'GET' && route.method !== 'DELETE';
      const plainUrl = route.path.replace(/:(\w+)/g, 'missing_$1');

      // The first token the route does not refuse (401/403) gets past authentication to validation.
      let token: string | undefined;
      for (const candidate of [tokens.shop, tokens.agent, tokens.admin]) {
        const probe = await send({ url: plainUrl, token: candidate, ...(withBody ? { payload: '{}' } : {}) });
        if (probe.statusCode !== 401 && probe.statusCode !== 403) {
          token = candidate;
          break;
        }
      }
      // Field names from the route's own validation message for an empty request.
      const learned = await send({ url: plainUrl, token, ...(withBody ? { payload: '{}' } : {}) });
      const fields = [
        ...new Set(
          [...learned.body.matchAll(/(?:: |; )([a-z_][\w]*)(?:\.[\w.]+)?: /g)].map((m) => m[1] ?? ''),
        ),
      ];

      for (let index = 0; index < CASES_PER_ROUTE; index++) {
        const url =
          route.path.replace(/:(\w+)/g, () => random.pick(pathParamValues)) +
          (random.next() < 0.5 ? `?${fuzzQuery(random, fields)}` : '');
        const roll = random.next();
        const payload = withBody ? fuzzBodyJson(random, fields) : undefined;
        const response = await send({
          url,
          ...(roll < 0.9 ? { token } : {}),
          ...(payload === undefined ? {} : { payload }),
          ...(roll > 0.95
            ? { contentType: random.pick(['text/plain', 'application/xml', 'multipart/form-data']) }
            : {}),
        });
        const problem = problemWithHttpAnswer(response);
        if (problem !== undefined) {
          failures.push(
            `${route.method} ${excerpt(url)} with ${excerpt(payload ?? '(no body)')}: ${problem}: ${excerpt(response.body)}`,
          );
        }
      }
    }
    assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} fuzzed requests failed`);
    // Some fuzzed suggest-reply requests were valid enough to reach the model and its hostile calls.
    assert.ok(llm.requests.length >= 4, `the model was asked ${llm.requests.length} times`);
  });
});

interface ListedTool {
  name: string;
  inputSchema: { properties?: Record<string, JsonSchema> };
}
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

/** A plausible value for a property, so the other arguments pass and a planted hazard is reached. */
function exampleFor(schema: JsonSchema | undefined, name = ''): unknown {
  if (schema?.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  if (schema?.anyOf !== undefined && schema.anyOf.length > 0) {
    return exampleFor(schema.anyOf.find((option) => option.type !== 'null') ?? schema.anyOf[0], name);
  }
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (type === 'object') {
    return Object.fromEntries(
      Object.entries(schema?.properties ?? {}).map(([k, v]) => [k, exampleFor(v, k)]),
    );
  }
  if (type === 'array') return [exampleFor(schema?.items, name)];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  // Loopback (the test app may reach it) answers at once: no DNS, no waiting on a timeout.
  if (/url|endpoint/i.test(name)) return 'http://127.0.0.1:9/hook';
  if (/phone/i.test(name)) return '+34612345678';
  if (/since|from|until|date|_at$|^to$/i.test(name)) return '2026-03-01T00:00:00Z';
  return 'value';
}

describe('every MCP tool', () => {
  test('answers every fuzzed tools/call with a result (isError for bad input); never -32603 or a 5xx', async () => {
    const random = seededRandom(SEED + 1);
    const listed = await postMcp(
      t.app,
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
      { token: tokens.shop },
    );
    const tools = (listed.json.result as { tools: ListedTool[] }).tools;
    assert.ok(tools.length >= 25, `tools/list lists ${tools.length} tools`);
    const failures: string[] = [];
    let id = 10;

    for (const tool of tools) {
      const properties = Object.entries(tool.inputSchema.properties ?? {});
      const call = async (argumentsJson: string) => {
        const body = `{"jsonrpc":"2.0","id":${id++},"method":"tools/call","params":{"name":${JSON.stringify(tool.name)},"arguments":${argumentsJson}}}`;
        const reply = await postMcp(t.app, body, { token: tokens.shop });
        // regenerate_api_key, applied, answers the shop's new token: the fuzzing goes on with it.
        const rotated = /pk_shop_[\w-]{43}/.exec(reply.text);
        if (rotated !== null) tokens.shop = rotated[0];
        const problem =
          reply.status >= 500 || reply.status === 429
            ? `answered HTTP ${reply.status}`
            : reply.json.error?.code === -32603
              ? `answered -32603: ${reply.json.error.message}`
              : isError(reply.json.result) && reply.text.length > MAX_ERROR_MESSAGE_CHARS
                ? `refused in ${reply.text.length} characters (the input echoed unbounded?)`
                : undefined;
        if (problem !== undefined) {
          failures.push(`${tool.name} ${excerpt(argumentsJson)}: ${problem}: ${excerpt(reply.text)}`);
        }
      };
      /** Every argument plausible (a change applied, not only previewed) but `target`, which is `value`. */
      const allPlausibleBut = (target: string, value: string) =>
        `{${properties
          .filter(([name]) => name !== 'confirmation_token')
          .map(
            ([name, schema]) =>
              `${JSON.stringify(name)}:${name === target ? value : JSON.stringify(exampleFor(schema, name))}`,
          )
          .join(',')}}`;

      // Systematically: each argument once with a NUL planted in a plausible value, once deeply nested.
      for (const [name, schema] of properties) {
        const plausible = exampleFor(schema, name);
        const withNul =
          typeof plausible === 'string'
            ? JSON.stringify(`${plausible}\u0000`)
            : mutateHint(random, plausible);
        await call(allPlausibleBut(name, withNul));
        await call(allPlausibleBut(name, deepArrayJson(3_000)));
      }
      // Then at random: one hazard among plausible arguments, several hazards, or no object at all.
      for (let index = 0; index < CASES_PER_TOOL; index++) {
        const roll = random.next();
        if (roll < 0.5 && properties.length > 0) {
          const [target, schema] = random.pick(properties);
          await call(allPlausibleBut(target, fuzzValueJson(random, exampleFor(schema, target))));
        } else if (roll < 0.8 && properties.length > 0) {
          const count = 1 + random.int(properties.length);
          const chosen = new Map<string, string>();
          while (chosen.size < count) {
            const [name, schema] = random.pick(properties);
            chosen.set(name, fuzzValueJson(random, exampleFor(schema, name)));
          }
          if (random.next() < 0.3) chosen.set('confirm', 'true');
          await call(`{${[...chosen].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
        } else {
          await call(random.next() < 0.5 ? fuzzObjectJson(random, []) : fuzzValueJson(random));
        }
      }
    }
    assert.deepEqual(failures, [], `seed ${SEED + 1}: ${failures.length} fuzzed tool calls failed`);
  });

  test('the JSON-RPC envelope itself: NUL in names, deep params, huge ids, wrong types', async () => {
    const random = seededRandom(SEED + 2);
    const envelopes = [
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ai_config\\u0000","arguments":{}}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ai_config","arguments":[1,2]}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ai_config","arguments":"text"}}',
      `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${deepObjectJson(5_000)}}`,
      `{"jsonrpc":"2.0","id":${deepArrayJson(5_000)},"method":"tools/list"}`,
      `{"jsonrpc":"2.0","id":"${'9'.repeat(100_000)}","method":"tools/list"}`,
      `{"jsonrpc":"2.0","id":1,"method":"${'m'.repeat(100_000)}"}`,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}',
      '{"jsonrpc":"2.0","id":null,"method":"tools/list"}',
      `[${Array.from({ length: 50 }, (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"tools/list"}`).join(',')}]`,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_function_logs","arguments":{"function_name":"a\\u0000"}}}',
      deepArrayJson(20_000),
      '"\\u0000"',
    ];
    const failures: string[] = [];
    for (const body of envelopes) {
      for (const token of [tokens.shop, undefined]) {
        const reply = await postMcp(t.app, body, token === undefined ? {} : { token }).catch(
          (error: unknown) => ({
            status: 0,
            text: String(error),
            json: {} as { error?: { code: number; message: string } },
          }),
        );
        if (reply.status >= 500 || reply.status === 0 || reply.json.error?.code === -32603) {
          failures.push(
            `${excerpt(body)} (token: ${token !== undefined}): ${reply.status} ${excerpt(reply.text)}`,
          );
        }
      }
    }
    random.next();
    assert.deepEqual(failures, []);
  });
});
