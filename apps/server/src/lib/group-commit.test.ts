import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.ts';

/** A commit that records its batches and holds each one until the test lets it go. */
function heldCommits(refuse: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  const next = () => waiting.shift()?.();
  let onBatch: () => void = () => {};
  const commit = async (items: readonly number[]) => {
    batches.push([...items]);
    onBatch();
    await new Promise<void>((resolve) => waiting.push(resolve));
    const refused = items.find(refuse);
    if (refused !== undefined) throw new Error(`item ${refused} refused`);
    return items.map((item) => item * 10);
  };
  const batchStarted = () =>
    new Promise<void>((resolve) => {
      onBatch = resolve;
    });
  return { batches, commit, next, batchStarted };
}

test('items submitted while a commit runs share the next one; each gets its own result', async () => {
  const held = heldCommits();
  const group = new GroupCommit(held.commit, { maxBatch: 10 });
  let started = held.batchStarted();
  const first = group.submit(1);
  await started;
  const later = [group.submit(2), group.submit(3), group.submit(4)];
  started = held.batchStarted();
  held.next();
  assert.equal(await first, 10);
  await started;
  held.next();
  assert.deepEqual(await Promise.all(later), [20, 30, 40]);
  assert.deepEqual(held.batches, [[1], [2, 3, 4]]);
});

test('items submitted in one turn of the event loop share the first commit', async () => {
  const held = heldCommits();
  const group = new GroupCommit(held.commit, { maxBatch: 10 });
  const started = held.batchStarted();
  const results = [group.submit(1), group.submit(2)];
  await started;
  held.next();
  assert.deepEqual(await Promise.all(results), [10, 20]);
  assert.deepEqual(held.batches, [[1, 2]]);
});

test('a batch is never larger than maxBatch', async () => {
  const held = heldCommits();
  const group = new GroupCommit(held.commit, { maxBatch: 2 });
  let started = held.batchStarted();
  const results = [1, 2, 3].map((item) => group.submit(item));
  await started;
  started = held.batchStarted();
  held.next();
  await started;
  held.next();
  assert.deepEqual(await Promise.all(results), [10, 20, 30]);
  assert.deepEqual(held.batches, [[1, 2], [3]]);
});

test('pending counts the items waiting and those of the batch being committed', async () => {
  const held = heldCommits();
  const group = new GroupCommit(held.commit, { maxBatch: 2 });
  const started = held.batchStarted();
  const results = [1, 2, 3].map((item) => group.submit(item));
  assert.equal(group.pending, 3);
  await started;
  assert.equal(group.pending, 3, 'two in the commit being written, one waiting');
  const second = held.batchStarted();
  held.next();
  await results[1];
  await second;
  assert.equal(group.pending, 1);
  held.next();
  await Promise.all(results);
  assert.equal(group.pending, 0);
});

test('a refused batch is committed again one item at a time: only the refused item fails', async () => {
  const held = heldCommits((item) => item === 2);
  const group = new GroupCommit(held.commit, { maxBatch: 10 });
  const settled = Promise.allSettled([1, 2, 3].map((item) => group.submit(item)));
  // One batch of three, then one commit per item.
  for (let commits = 0; commits < 4; commits++) {
    const started = held.batchStarted();
    if (commits > 0) held.next();
    await started;
  }
  held.next();
  const [one, two, three] = await settled;
  assert.deepEqual(one, { status: 'fulfilled', value: 10 });
  assert.equal(two?.status, 'rejected');
  assert.match(String(two?.status === 'rejected' ? two.reason : ''), /item 2 refused/);
  assert.deepEqual(three, { status: 'fulfilled', value: 30 });
  assert.deepEqual(held.batches, [[1, 2, 3], [1], [2], [3]]);
});

test('a commit that returns the wrong number of results fails its items instead of mismatching them', async () => {
  const group = new GroupCommit(async (items: readonly number[]) => items.slice(1), { maxBatch: 10 });
  await assert.rejects(group.submit(1), /returned 0 results for 1 items/);
});
