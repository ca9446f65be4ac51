import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  assertAppError,
  assertNoSecrets,
  assertToolMetadata,
  directTools,
  type DirectTools,
} from '../../../test/helpers/direct-tools.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import {
  compileParametersSchema,
  functionTools,
  getFunctionForCall,
  listFunctionsForModel,
} from './index.ts';

// Loopback literals only: allowed by the test app's PARLEY_ALLOW_PRIVATE_TARGETS and resolved
// without DNS, so saving a function never sends anything off the machine.
const ORDERS_URL = 'http://127.0.0.1:9/erp/orders';
const REFUNDS_URL = 'http://127.0.0.1:9/erp/refunds';

const HEADER_VALUE = 'hdr-secret-51c0de';
const PASSWORD = 'pw-secret-9e77b2';
const USERNAME = 'user-secret-3a8f10';
const SECRETS = [HEADER_VALUE, PASSWORD, USERNAME];

const orderParameters = {
  type: 'object',
  properties: { order_id: { type: 'string', description: 'The order number' } },
  required: ['order_id'],
};

/** Layout A: OpenAI format with top-level endpoint and method. */
const getOrder = {
  name: 'get_order',
  description: 'Looks up an order by its number',
  parameters: orderParameters,
  endpoint: ORDERS_URL,
  method: 'GET',
  headers: { 'X-Api-Key': HEADER_VALUE },
};

/** Layout B: the endpoint inside parameters.properties, with basic auth. */
const refundOrder = {
  name: 'refund_order',
  description: 'Refunds an order',
  parameters: {
    type: 'object',
    properties: {
      order_id: { type: 'string' },
      endpoint: {
        url: REFUNDS_URL,
        method: 'POST',
        format: 'form',
        auth: { type: 'basic', fields: { username: USERNAME, password: PASSWORD } },
      },
    },
    required: ['order_id', 'endpoint'],
  },
};

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
});
after(() => testApp.close());

async function newShop(): Promise<{ shopId: string; tools: DirectTools }> {
  const { shopId } = await testApp.createShop();
  return { shopId, tools: directTools(functionTools, testApp.deps, shopId) };
}

const listFunctions = async (tools: DirectTools) =>
  (await tools.run('get_custom_functions')) as { functions: Array<Record<string, unknown>>; count: number };

test('every function tool has a title, a description of its side effects and truthful annotations', () => {
  assertToolMetadata(functionTools);
  assert.deepEqual(
    functionTools.map((tool) => tool.name),
    ['update_custom_functions', 'get_custom_functions'],
  );
});

describe('update_custom_functions', () => {
  test('previews a layout A function without writing it, then stores it with its secrets sealed', async () => {
    const { shopId, tools } = await newShop();
    const preview = await tools.preview('update_custom_functions', { add_function: getOrder });
    assert.equal(preview.summary, `add custom function "get_order" (GET ${ORDERS_URL})`);
    assert.deepEqual(preview.before, { get_order: null });
    assert.deepEqual(preview.after, {
      get_order: {
        name: 'get_order',
        tool: {
          type: 'function',
          function: {
            name: 'get_order',
            description: 'Looks up an order by its number',
            parameters: orderParameters,
          },
        },
        endpoint: {
          url: ORDERS_URL,
          method: 'GET',
          format: 'json',
          headers: { 'X-Api-Key': '[set]' },
          auth: null,
        },
      },
    });
    assertNoSecrets(preview, SECRETS);
    assert.equal((await listFunctions(tools)).count, 0, 'a preview must not write');

    const result = await tools.apply('update_custom_functions', { add_function: getOrder });
    assert.equal(result.status, 'applied');
    assertNoSecrets(result, SECRETS);
    const listed = await listFunctions(tools);
    assert.equal(listed.count, 1);
    assert.deepEqual(
      listed.functions[0]?.endpoint,
      (preview.after as Record<string, { endpoint: unknown }>).get_order?.endpoint,
    );

    const forCall = await getFunctionForCall(testApp.deps, shopId, 'get_order');
    assert.equal(forCall?.url, ORDERS_URL);
    assert.equal(forCall?.method, 'GET');
    assert.deepEqual(forCall?.credentials, { headers: { 'X-Api-Key': HEADER_VALUE } });
  });

  test('stores a layout B function given as JSON text; the model never sees its endpoint', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_custom_functions', { add_function: JSON.stringify(refundOrder) });

    assert.deepEqual(await listFunctionsForModel(testApp.deps, shopId), [
      {
        type: 'function',
        function: {
          name: 'refund_order',
          description: 'Refunds an order',
          parameters: {
            type: 'object',
            properties: { order_id: { type: 'string' } },
            required: ['order_id'],
          },
        },
      },
    ]);
    const listed = await listFunctions(tools);
    assertNoSecrets(listed, SECRETS);
    assert.deepEqual(listed.functions[0]?.endpoint, {
      url: REFUNDS_URL,
      method: 'POST',
      format: 'form',
      headers: {},
      auth: { type: 'basic', fields: { username: '[set]', password: '[set]' } },
    });
    const forCall = await getFunctionForCall(testApp.deps, shopId, 'refund_order');
    assert.equal(forCall?.format, 'form');
    assert.deepEqual(forCall?.credentials, {
      auth: { type: 'basic', fields: { username: USERNAME, password: PASSWORD } },
    });
  });

  test('adding an existing name replaces it and says so, in the preview and the result', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_custom_functions', { add_function: getOrder });
    const replacement = {
      ...getOrder,
      method: 'POST',
      headers: undefined,
      description: 'Looks up an order (v2)',
    };

    const preview = await tools.preview('update_custom_functions', { add_function: replacement });
    assert.equal(
      preview.summary,
      `replace the existing custom function "get_order" (GET ${ORDERS_URL} → POST ${ORDERS_URL})`,
    );
    assert.match(preview.consequence, /the old one is discarded/);
    const before = (preview.before as Record<string, { endpoint: { method: string } }>).get_order;
    assert.equal(before?.endpoint.method, 'GET');
    assertNoSecrets(preview, SECRETS);

    const result = await tools.apply('update_custom_functions', { add_function: replacement });
    assert.match(String(result.summary), /^replace the existing custom function "get_order"/);
    assert.equal((await listFunctions(tools)).count, 1);
    const forCall = await getFunctionForCall(testApp.deps, shopId, 'get_order');
    assert.equal(forCall?.method, 'POST');
    assert.equal(forCall?.description, 'Looks up an order (v2)');
    assert.deepEqual(forCall?.credentials, {}, 'the old header went with the old definition');
  });

  test('removes a function; an unknown name is refused with the existing names', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_custom_functions', { add_function: getOrder });
    await tools.apply('update_custom_functions', { add_function: refundOrder });

    await assertAppError(
      tools.apply('update_custom_functions', { remove_function: 'cancel_order' }),
      'NOT_FOUND',
      /no custom function "cancel_order"\. Existing: get_order, refund_order\./,
    );
    const preview = await tools.preview('update_custom_functions', { remove_function: 'get_order' });
    assert.equal(preview.summary, `remove custom function "get_order" (GET ${ORDERS_URL})`);
    assert.deepEqual(preview.after, { get_order: null });

    await tools.apply('update_custom_functions', { remove_function: 'get_order' });
    assert.equal(await getFunctionForCall(testApp.deps, shopId, 'get_order'), undefined);
    assert.deepEqual(
      (await listFunctionsForModel(testApp.deps, shopId)).map((tool) => tool.function.name),
      ['refund_order'],
    );
  });

  test('refuses invalid definitions, naming the path, and changes nothing', async () => {
    const { tools } = await newShop();
    await tools.apply('update_custom_functions', { add_function: getOrder });
    const state = await listFunctions(tools);
    const refused: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { add_function: { ...getOrder, name: 'get order' } },
        'VALIDATION_FAILED',
        /add_function\.name: must be 1-64/,
      ],
      [
        { add_function: { ...getOrder, method: 'FETCH' } },
        'VALIDATION_FAILED',
        /add_function\.method: must be one of GET, POST, PUT, PATCH, DELETE/,
      ],
      [
        {
          add_function: {
            ...getOrder,
            parameters: { type: 'object', properties: { order_id: { type: 'text' } } },
          },
        },
        'VALIDATION_FAILED',
        /add_function\.parameters: not a usable JSON Schema .*properties\/order_id\/type must be equal to one of the allowed values/,
      ],
      [
        { add_function: { ...getOrder, parameters: { type: 'object', additionalProperties: 'no' } } },
        'VALIDATION_FAILED',
        /not a usable JSON Schema .*additionalProperties must be object,boolean/,
      ],
      [
        {
          add_function: {
            ...getOrder,
            parameters: { type: 'object', properties: { a: { $ref: 'http://127.0.0.1:9/s' } } },
          },
        },
        'VALIDATION_FAILED',
        /can't resolve reference/,
      ],
      [
        { add_function: { ...getOrder, endpoint: 'http://10.0.0.1/x' } },
        'BLOCKED_TARGET',
        /PARLEY_ALLOW_PRIVATE_TARGETS/,
      ],
      [
        { add_function: '{"name": "get_order",' },
        'VALIDATION_FAILED',
        /add_function: is a string but not valid JSON/,
      ],
      [
        { add_function: { ...getOrder, auth: { type: 'basic', fields: { password: 'p' } } } },
        'VALIDATION_FAILED',
        /auth\.fields\.username: basic auth username is required/,
      ],
      [{}, 'VALIDATION_FAILED', /Nothing to change: pass add_function, remove_function, or both/],
    ];
    for (const [args, code, pattern] of refused) {
      await assertAppError(tools.preview('update_custom_functions', args), code, pattern);
      await assertAppError(tools.apply('update_custom_functions', args), code, pattern);
    }
    assert.deepEqual(await listFunctions(tools), state, 'a refused change must not write anything');
  });

  test('accepts a draft 2020-12 schema, and the saved schema validates arguments', async () => {
    const { shopId, tools } = await newShop();
    const parameters = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...orderParameters };
    await tools.apply('update_custom_functions', { add_function: { ...getOrder, parameters } });
    const stored = await getFunctionForCall(testApp.deps, shopId, 'get_order');
    assert.ok(stored !== undefined);
    const validate = await compileParametersSchema(stored.parameters);
    assert.equal(validate({ order_id: 'A-1' }), true);
    assert.equal(validate({}), false);
  });
});

test('one shop never sees or changes the functions of another', async () => {
  const a = await newShop();
  const b = await newShop();
  await a.tools.apply('update_custom_functions', { add_function: getOrder });

  assert.equal((await listFunctions(b.tools)).count, 0);
  assert.deepEqual(await listFunctionsForModel(testApp.deps, b.shopId), []);
  assert.equal(await getFunctionForCall(testApp.deps, b.shopId, 'get_order'), undefined);
  await assertAppError(
    b.tools.apply('update_custom_functions', { remove_function: 'get_order' }),
    'NOT_FOUND',
    /Existing: none\./,
  );
  const preview = await b.tools.preview('update_custom_functions', {
    add_function: { ...getOrder, endpoint: REFUNDS_URL },
  });
  assert.match(preview.summary, /^add /, "another shop's function is not a replacement");
  await b.tools.apply('update_custom_functions', { add_function: { ...getOrder, endpoint: REFUNDS_URL } });

  assert.equal((await getFunctionForCall(testApp.deps, b.shopId, 'get_order'))?.url, REFUNDS_URL);
  await b.tools.apply('update_custom_functions', { remove_function: 'get_order' });
  assert.equal(await getFunctionForCall(testApp.deps, b.shopId, 'get_order'), undefined);

  const ofA = await getFunctionForCall(testApp.deps, a.shopId, 'get_order');
  assert.equal(ofA?.url, ORDERS_URL, "removing B's function left A's in place");
  assert.deepEqual(ofA?.credentials, { headers: { 'X-Api-Key': HEADER_VALUE } });
});
