import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { verifyCrmRequest } from '@parley/webhooks';
import { argumentText, buildFunctionRequest, type FunctionTarget } from './function-request.ts';

const signing = { secret: 'signing-secret', now: new Date('2026-03-02T10:00:00Z'), version: '1.2.3' };

const target = (overrides: Partial<FunctionTarget>): FunctionTarget => ({
  url: 'https://erp.example.com/api/orders?v=2',
  method: 'GET',
  format: 'json',
  credentials: {},
  ...overrides,
});

test('argument values as query or form text', () => {
  assert.equal(argumentText('a b'), 'a b');
  assert.equal(argumentText(12.5), '12.5');
  assert.equal(argumentText(false), 'false');
  assert.equal(argumentText(null), '');
  assert.equal(argumentText(['a', 1, true]), 'a,1,true');
  assert.equal(argumentText({ a: [1] }), '{"a":[1]}');
  assert.equal(argumentText([{ a: 1 }]), '[{"a":1}]');
});

test('GET and DELETE carry the arguments and query credentials in the query; credentials win', () => {
  for (const method of ['GET', 'DELETE'] as const) {
    const request = buildFunctionRequest(
      target({ method, credentials: { auth: { type: 'body', fields: { key: 'k-1' } } } }),
      { id: 'A 1', key: 'forged', tags: ['x', 'y'] },
      signing,
    );
    const url = new URL(request.url);
    assert.deepEqual(
      [...url.searchParams],
      [
        ['v', '2'],
        ['id', 'A 1'],
        ['key', 'k-1'],
        ['tags', 'x,y'],
      ],
    );
    assert.equal(request.body, undefined);
    assert.equal(request.headers['content-type'], undefined);
  }
});

test('other methods send JSON or a form; header, basic and query auth land where they belong', () => {
  const json = buildFunctionRequest(
    target({
      method: 'POST',
      credentials: {
        headers: { 'X-Key': 'h-1', Accept: 'text/plain' },
        auth: { type: 'query', fields: { sig: 's' } },
      },
    }),
    { id: 'A-1', n: 2 },
    signing,
  );
  assert.equal(json.body, '{"id":"A-1","n":2}');
  assert.equal(json.headers['content-type'], 'application/json');
  assert.equal(json.headers['x-key'], 'h-1');
  assert.equal(json.headers.accept, 'text/plain', 'a configured header replaces the default');
  assert.equal(new URL(json.url).searchParams.get('sig'), 's');

  const form = buildFunctionRequest(
    target({
      method: 'PATCH',
      format: 'form',
      credentials: { auth: { type: 'basic', fields: { username: 'u', password: 'p' } } },
    }),
    { note: 'a&b', list: [1, 2] },
    signing,
  );
  assert.equal(form.body, 'note=a%26b&list=1%2C2');
  assert.equal(form.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(form.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
});

test('every request is signed over what is sent, verifiably', () => {
  const request = buildFunctionRequest(target({ method: 'PUT' }), { a: 1 }, signing);
  const url = new URL(request.url);
  const verified = verifyCrmRequest({
    secret: signing.secret,
    headers: request.headers,
    method: 'PUT',
    pathAndQuery: url.pathname + url.search,
    body: request.body ?? '',
    now: signing.now.getTime(),
  });
  assert.equal(verified.ok, true);
  assert.equal(request.headers['user-agent'], 'Parley/1.2.3');
});
