import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SingleFlight } from './single-flight.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('callers of a key in flight share one call and its result', async () => {
  const flights = new SingleFlight<string>();
  const answer = deferred<string>();
  let calls = 0;
  const work = () => {
    calls++;
    return answer.promise;
  };
  const results = Array.from({ length: 100 }, () => flights.run('k', work));
  assert.equal(calls, 1);
  assert.equal(flights.size, 1);
  answer.resolve('alice');
  assert.deepEqual(new Set(await Promise.all(results)), new Set(['alice']));
  assert.equal(flights.size, 0);
});

test('different keys run separately', async () => {
  const flights = new SingleFlight<string>();
  const results = await Promise.all([flights.run('a', async () => 'A'), flights.run('b', async () => 'B')]);
  assert.deepEqual(results, ['A', 'B']);
});

test('a settled key starts a new call; a failure reaches every sharer and is not remembered', async () => {
  const flights = new SingleFlight<string>();
  const failing = deferred<string>();
  const first = flights.run('k', () => failing.promise);
  const second = flights.run('k', async () => 'never called');
  failing.reject(new Error('CRM down'));
  await assert.rejects(first, /CRM down/);
  await assert.rejects(second, /CRM down/);
  assert.equal(await flights.run('k', async () => 'recovered'), 'recovered');
});
