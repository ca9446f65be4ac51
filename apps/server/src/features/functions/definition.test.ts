// The accepted definition layouts (docs/custom-functions.md#defining-a-function) and their normalized form;
// pure parsing, no database.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { updateCustomFunctionsArguments } from '@parley/contract';
import { describeIssues } from '../../lib/validation.ts';

const orderParameters = {
  type: 'object',
  properties: { order_id: { type: 'string', description: 'The order number' } },
  required: ['order_id'],
};

const normalizedGetOrder = {
  name: 'get_order',
  description: 'Looks up an order',
  parameters: orderParameters,
  endpoint: {
    url: 'https://erp.example.com/orders',
    method: 'GET',
    format: 'json',
    headers: undefined,
    auth: undefined,
  },
};

const parse = (definition: unknown) => {
  const result = updateCustomFunctionsArguments.safeParse({ add_function: definition });
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data.add_function;
};

const problems = (definition: unknown) => {
  const result = updateCustomFunctionsArguments.safeParse({ add_function: definition });
  assert.equal(result.success, false, 'expected the definition to be refused');
  return result.error === undefined ? '' : describeIssues(result.error);
};

const layoutA = {
  name: 'get_order',
  description: 'Looks up an order',
  parameters: orderParameters,
  endpoint: 'https://erp.example.com/orders',
  method: 'get',
};

const layoutB = {
  name: 'get_order',
  description: 'Looks up an order',
  parameters: {
    type: 'object',
    properties: {
      ...orderParameters.properties,
      endpoint: { url: 'https://erp.example.com/orders', method: 'GET' },
    },
    required: ['order_id', 'endpoint'],
  },
};

describe('custom function definitions', () => {
  test('layout A (top-level endpoint and method) normalizes, as an object or as JSON text', () => {
    assert.deepEqual(parse(layoutA), normalizedGetOrder);
    assert.deepEqual(parse(JSON.stringify(layoutA)), normalizedGetOrder);
  });

  test('layout B (endpoint inside parameters.properties) normalizes to the same, without the endpoint', () => {
    assert.deepEqual(parse(layoutB), normalizedGetOrder);
    assert.deepEqual(parse(JSON.stringify(layoutB)), normalizedGetOrder);
  });

  test('the OpenAI tool wrapper is accepted around either layout', () => {
    assert.deepEqual(parse({ type: 'function', function: layoutA }), normalizedGetOrder);
    assert.deepEqual(parse(JSON.stringify({ type: 'function', function: layoutB })), normalizedGetOrder);
  });

  test('layout B keeps format, headers and auth; settings inside the endpoint win over top-level ones', () => {
    const parsed = parse({
      ...layoutB,
      method: 'DELETE',
      headers: { 'X-Tenant': 'shop-1' },
      parameters: {
        ...layoutB.parameters,
        properties: {
          ...layoutB.parameters.properties,
          endpoint: {
            url: 'https://erp.example.com/orders',
            method: 'put',
            format: 'form',
            auth: { type: 'header', fields: { Authorization: 'Bearer abc' } },
          },
        },
      },
    });
    assert.deepEqual(parsed?.endpoint, {
      url: 'https://erp.example.com/orders',
      method: 'PUT',
      format: 'form',
      headers: { 'X-Tenant': 'shop-1' },
      auth: { type: 'header', fields: { Authorization: 'Bearer abc' } },
    });
  });

  test('POST and JSON are the defaults; a model parameter named "endpoint" stays in layout A', () => {
    const parsed = parse({
      name: 'ping',
      parameters: { type: 'object', properties: { endpoint: { type: 'string' } } },
      endpoint: 'https://erp.example.com/ping',
    });
    assert.equal(parsed?.description, '');
    assert.equal(parsed?.endpoint.method, 'POST');
    assert.equal(parsed?.endpoint.format, 'json');
    assert.deepEqual(parsed?.parameters.properties, { endpoint: { type: 'string' } });
  });

  test('refusals name the path and say what to do', () => {
    assert.match(
      problems({ ...layoutA, name: 'get order!' }),
      /name: must be 1-64 characters: letters, digits, "_" or "-"/,
    );
    assert.match(problems({ ...layoutA, name: 'x'.repeat(65) }), /name: must be 1-64 characters/);
    assert.match(
      problems({ ...layoutA, method: 'FETCH' }),
      /method: must be one of GET, POST, PUT, PATCH, DELETE/,
    );
    assert.match(
      problems({ ...layoutA, parameters: { type: 'array' } }),
      /parameters\.type: must be "object"/,
    );
    assert.match(problems({ ...layoutA, parameters: 'order_id' }), /parameters: .*expected object/);
    assert.match(problems({ ...layoutA, endpoint: 'erp.example.com' }), /endpoint: must be an absolute http/);
    assert.match(problems({ ...layoutA, timeout: 5 }), /unknown field\(s\) "timeout"/);
    assert.match(
      problems({ ...layoutA, endpoint: undefined }),
      /endpoint: is missing: give "endpoint" \(the URL\)/,
    );
    assert.match(
      problems({
        ...layoutB,
        parameters: { type: 'object', properties: { endpoint: { url: 'x', method: 'GO' } } },
      }),
      /parameters\.properties\.endpoint\.url: must be an absolute .*parameters\.properties\.endpoint\.method: must be one of/,
    );
    assert.match(
      problems({ ...layoutB, endpoint: 'https://erp.example.com/orders' }),
      /parameters\.properties\.endpoint: the endpoint is given twice/,
    );
    assert.match(problems('{"name": '), /add_function: is a string but not valid JSON/);
  });
});
