import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BatchedWriter } from './batched-writer.ts';

function recordingWriter(options: { failures?: number; maxAttempts?: number } = {}) {
  const batches: number[][] = [];
  const errors: Array<{ rows: number; dropped: boolean }> = [];
  let failuresLeft = options.failures ?? 0;
  const writer = new BatchedWriter<number>({
    maxRows: 3,
    intervalMs: 250,
    maxAttempts: options.maxAttempts ?? 3,
    write: async (rows) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('database unavailable');
      }
      batches.push(rows);
    },
    onError: (_error, rows, dropped) => errors.push({ rows, dropped }),
  });
  return { writer, batches, errors };
}

test('rows wait in memory until maxRows are buffered, then go in one batch', async () => {
  const { writer, batches } = recordingWriter();
  writer.push(1);
  writer.push(2);
  assert.deepEqual(batches, []);
  writer.push(3);
  await writer.flush();
  assert.deepEqual(batches, [[1, 2, 3]]);
  assert.equal(writer.buffered, 0);
});

test('a partial batch is written intervalMs after its first row', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const { writer, batches } = recordingWriter();
  writer.push(1);
  t.mock.timers.tick(249);
  writer.push(2);
  await settle();
  assert.deepEqual(batches, []);
  t.mock.timers.tick(1);
  await settle();
  assert.deepEqual(batches, [[1, 2]]);
});

test('a failed batch is kept and written by the next flush, in order', async () => {
  const { writer, batches, errors } = recordingWriter({ failures: 1 });
  writer.push(1);
  await writer.flush();
  assert.deepEqual(batches, []);
  assert.deepEqual(errors, [{ rows: 1, dropped: false }]);
  writer.push(2);
  await writer.flush();
  assert.deepEqual(batches, [[1, 2]]);
});

test('a batch that keeps failing is dropped after maxAttempts so later rows still get written', async () => {
  const { writer, batches, errors } = recordingWriter({ failures: 2, maxAttempts: 2 });
  writer.push(1);
  await writer.flush();
  writer.push(2);
  writer.push(3);
  writer.push(4);
  await writer.close();
  assert.deepEqual(errors, [
    { rows: 1, dropped: false },
    { rows: 3, dropped: true },
  ]);
  assert.deepEqual(batches, [[4]]);
});

test('close writes everything still buffered', async () => {
  const { writer, batches } = recordingWriter();
  for (const row of [1, 2, 3, 4, 5]) writer.push(row);
  await writer.close();
  assert.deepEqual(batches, [
    [1, 2, 3],
    [4, 5],
  ]);
});

test('rows pushed while a batch is being written wait for their own batch', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const batches: number[][] = [];
  let started!: () => void;
  const writing = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const writer = new BatchedWriter<number>({
    maxRows: 3,
    intervalMs: 250,
    maxAttempts: 3,
    write: async (rows) => {
      if (batches.length === 0) {
        started();
        await held;
      }
      batches.push(rows);
    },
    onError: () => assert.fail('no write fails here'),
  });
  for (const row of [1, 2, 3]) writer.push(row);
  await writing;
  writer.push(4);
  release();
  await settle();
  assert.deepEqual(batches, [[1, 2, 3]]);
  assert.equal(writer.buffered, 1, 'row 4 is not written in a batch of its own right away');
  t.mock.timers.tick(250);
  await settle();
  assert.deepEqual(batches, [[1, 2, 3], [4]]);
});
