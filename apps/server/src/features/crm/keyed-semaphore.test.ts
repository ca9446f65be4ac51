import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { KeyedSemaphore, QueueFullError } from './keyed-semaphore.ts';

/** A task that runs until released, recording that it started. */
function gate() {
  let started = 0;
  const releases: Array<() => void> = [];
  const task = () =>
    new Promise<void>((resolve) => {
      started++;
      releases.push(resolve);
    });
  return {
    task,
    started: () => started,
    releaseOne: () => releases.shift()?.(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a key runs at most `limit` tasks; the next one waits for a free slot', async () => {
  const semaphore = new KeyedSemaphore({ limit: 8, maxQueued: 10 });
  const { task, started, releaseOne } = gate();
  const runs = Array.from({ length: 9 }, () => semaphore.run('shop1', task));
  await settle();
  assert.equal(started(), 8);
  assert.deepEqual(semaphore.load('shop1'), { running: 8, waiting: 1 });
  releaseOne();
  await settle();
  assert.equal(started(), 9, 'the ninth task took the freed slot');
  assert.deepEqual(semaphore.load('shop1'), { running: 8, waiting: 0 });
  for (let i = 0; i < 8; i++) releaseOne();
  await Promise.all(runs);
  assert.deepEqual(semaphore.load('shop1'), { running: 0, waiting: 0 });
});

test('another key is not held up by a busy one', async () => {
  const semaphore = new KeyedSemaphore({ limit: 1, maxQueued: 10 });
  const { task, releaseOne } = gate();
  const busy = semaphore.run('shop1', task);
  assert.equal(await semaphore.run('shop2', async () => 'done'), 'done');
  releaseOne();
  await busy;
});

test('waiting tasks start in arrival order', async () => {
  const semaphore = new KeyedSemaphore({ limit: 1, maxQueued: 10 });
  const { task, releaseOne } = gate();
  const order: number[] = [];
  const first = semaphore.run('k', task);
  const rest = [1, 2, 3].map((n) => semaphore.run('k', async () => void order.push(n)));
  await settle();
  releaseOne();
  await Promise.all([first, ...rest]);
  assert.deepEqual(order, [1, 2, 3]);
});

test('a full queue refuses at once, and a failing task frees its slot', async () => {
  const semaphore = new KeyedSemaphore({ limit: 1, maxQueued: 1 });
  const { task, releaseOne } = gate();
  const running = semaphore.run('k', task);
  const waiting = semaphore.run('k', async () => {
    throw new Error('CRM error');
  });
  await assert.rejects(
    semaphore.run('k', async () => 'x'),
    QueueFullError,
  );
  releaseOne();
  await running;
  await assert.rejects(waiting, /CRM error/);
  assert.deepEqual(semaphore.load('k'), { running: 0, waiting: 0 });
  assert.equal(await semaphore.run('k', async () => 'free again'), 'free again');
});
