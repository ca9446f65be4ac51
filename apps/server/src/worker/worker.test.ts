import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createManualClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import type { ClaimedRun, JobSource } from '../lib/jobs/job-source.ts';
import { createWorker } from './worker.ts';

/** A source whose claims hand out the given batches, one per claim, and that reports each step. */
function scriptedSource(batches: ClaimedRun[][], onStep: (step: 'claim' | 'idle') => void): JobSource {
  return {
    name: 'scripted',
    claim: async () => {
      onStep('claim');
      return batches.shift() ?? [];
    },
    nextDueAt: async () => {
      onStep('idle');
      return null;
    },
  };
}

/** A promise and the function that resolves it, for a test to release something at the step it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** The loop's idle reports: `after(action)` resolves at the first report once `action` has started. */
function idleReports() {
  let reached: () => void = () => {};
  return {
    reached: () => reached(),
    async after(action: () => unknown): Promise<void> {
      const next = new Promise<void>((resolve) => {
        reached = resolve;
      });
      await action();
      await next;
    },
  };
}

/** A worker with 4 slots over one scripted source; its own poll never comes within a test. */
const scriptedWorker = (source: JobSource) =>
  createWorker({
    sources: [source],
    clock: createManualClock(),
    logger: createLogger('silent'),
    concurrency: 4,
    perKeyConcurrency: 4,
    pollIntervalMs: 3_600_000,
    ownsStore: false,
  });

test('a claim that took fewer runs than it was offered is not repeated until something wakes the loop', async () => {
  const steps: string[] = [];
  const idle = idleReports();
  const held = gate();
  const run = (label: string): ClaimedRun => ({ key: 'shop', label, run: () => held.opened });
  // Offered 4 slots, the first claim takes 2: nothing more is due, so the loop goes idle at once.
  const source = scriptedSource([[run('a'), run('b')]], (step) => {
    steps.push(step);
    if (step === 'idle') idle.reached();
  });
  const worker = scriptedWorker(source);
  try {
    await idle.after(() => worker.start());
    assert.deepEqual(steps, ['claim', 'idle']);
    // The runs finishing free slots, which wakes the loop: it claims again, once.
    await idle.after(() => held.open());
    assert.deepEqual(steps.slice(2, 4), ['claim', 'idle']);
  } finally {
    await worker.stop();
  }
});

test('the loop leaves a source that found nothing until new work is notified, one of its runs ends, or its next job is due', async () => {
  const clock = createManualClock();
  const idle = idleReports();
  const first = gate();
  const second = gate();
  let nextDue: Date | null = null;
  let quietClaims = 0;
  const quiet: JobSource = {
    name: 'quiet',
    claim: async () => {
      quietClaims++;
      return [];
    },
    nextDueAt: async () => nextDue,
  };
  const runs = [
    [{ key: 'shop', label: 'first', run: () => first.opened }],
    [{ key: 'shop', label: 'second', run: () => second.opened }],
  ];
  const busy = scriptedSource(runs, (step) => {
    if (step === 'idle') idle.reached();
  });
  const worker = createWorker({
    sources: [quiet, busy],
    clock,
    logger: createLogger('silent'),
    concurrency: 4,
    perKeyConcurrency: 4,
    pollIntervalMs: 3_600_000,
    ownsStore: false,
  });
  try {
    await idle.after(() => worker.start());
    assert.equal(quietClaims, 1);
    await idle.after(() => first.open());
    assert.equal(quietClaims, 1, "another source's run ending is no reason to claim it");
    nextDue = new Date(clock.now().getTime() + 60_000);
    await idle.after(() => worker.wake());
    assert.equal(quietClaims, 2, 'a notification ends its quiet');
    clock.advance(60_000);
    await idle.after(() => second.open());
    assert.equal(quietClaims, 3, 'its next job, as asked after the last claim, is due');
    await worker.tick();
    assert.equal(quietClaims, 4, 'a claim asked for claims it whatever it found before');
  } finally {
    await worker.stop();
  }
});

test('a scheduled-only source is claimed when its next job falls due, or after the poll interval, not on every claim', async () => {
  const clock = createManualClock();
  let nextDue: Date | null = new Date(clock.now().getTime() + 60_000);
  let claims = 0;
  const probes: JobSource = {
    name: 'probes',
    scheduledOnly: true,
    claim: async () => {
      claims++;
      return [];
    },
    nextDueAt: async () => nextDue,
  };
  const worker = createWorker({
    sources: [probes],
    clock,
    logger: createLogger('silent'),
    pollIntervalMs: 10_000,
    ownsStore: false,
  });
  await worker.tick();
  assert.equal(claims, 1, 'nothing known yet: the first claim asks');
  await worker.tick();
  clock.advance(9_999);
  await worker.tick();
  assert.equal(claims, 1, 'not before the poll interval, since the next job is due later still');
  // The claim that ends the interval asks again, and learns of a job due sooner than the interval.
  nextDue = new Date(clock.now().getTime() + 1 + 5_000);
  clock.advance(1);
  await worker.tick();
  assert.equal(claims, 2, 'the poll interval is over: another process may have scheduled a job');
  clock.advance(4_999);
  await worker.tick();
  assert.equal(claims, 2, 'not before the next job falls due');
  clock.advance(1);
  await worker.tick();
  assert.equal(claims, 3, 'claimed once it is due');
});

test('runs finishing in one turn of the event loop (responses read together) free their slots for one claim', async () => {
  const steps: string[] = [];
  const idle = idleReports();
  let finished = 0;
  // Each run ends in its own I/O callback, as two HTTP responses read in the same poll phase do.
  const bothMayFinish = gate();
  const endsInOwnCallback = async (): Promise<void> => {
    await bothMayFinish.opened;
    await new Promise<void>((resolve) => setImmediate(resolve));
    finished++;
  };
  const run = (label: string): ClaimedRun => ({ key: label, label, run: endsInOwnCallback });
  const source = scriptedSource([[run('a'), run('b')]], (step) => {
    steps.push(`${step} after ${finished} finished`);
    if (step === 'idle') idle.reached();
  });
  const worker = scriptedWorker(source);
  try {
    await idle.after(() => worker.start());
    await idle.after(() => bothMayFinish.open());
    assert.deepEqual(steps, [
      'claim after 0 finished',
      'idle after 0 finished',
      'claim after 2 finished',
      'idle after 2 finished',
    ]);
  } finally {
    await worker.stop();
  }
});

test('drain claims again when a run finished while its claim was being made', async () => {
  const finishFirst = gate();
  const done: string[] = [];
  const run = (label: string, until?: Promise<void>): ClaimedRun => ({
    key: 'shop',
    label,
    run: async () => {
      await until;
      done.push(label);
    },
  });
  // The second job is due from the start, but the shop's one slot is taken by the first until that
  // run finishes, which happens during the next claim (as when a slow query follows the queue's claim).
  let claims = 0;
  const source: JobSource = {
    name: 'racing',
    claim: async ({ busy }) => {
      claims++;
      if (claims === 1) return [run('first', finishFirst.opened)];
      if ((busy.get('shop') ?? 0) > 0) {
        finishFirst.open();
        await new Promise<void>((resolve) => setImmediate(resolve));
        return [];
      }
      return done.includes('second') ? [] : [run('second')];
    },
    nextDueAt: async () => null,
  };
  const worker = createWorker({
    sources: [source],
    clock: createManualClock(),
    logger: createLogger('silent'),
    perKeyConcurrency: 1,
    ownsStore: false,
  });
  await worker.tick();
  await worker.drain();
  assert.deepEqual(done, ['first', 'second']);
});

test('a run that frees its slot leaves it to the next claim while it finishes; drain still waits for it', async () => {
  const finish = gate();
  const finished: string[] = [];
  const run = (label: string): ClaimedRun => ({
    key: 'shop',
    label,
    run: async (_signal, freeSlot) => {
      // A delivery answered: what is left is writing its result.
      freeSlot?.();
      await finish.opened;
      finished.push(label);
    },
  });
  const source = scriptedSource([[run('first')], [run('second')]], () => {});
  const worker = createWorker({
    sources: [source],
    clock: createManualClock(),
    logger: createLogger('silent'),
    concurrency: 1,
    perKeyConcurrency: 1,
    ownsStore: false,
  });
  assert.deepEqual(
    (await worker.tick()).map((started) => started.label),
    ['first'],
  );
  assert.deepEqual(
    (await worker.tick()).map((started) => started.label),
    ['second'],
    'the one slot, and the shop’s one, were freed by the first run',
  );
  const drained = worker.drain();
  finish.open();
  await drained;
  assert.deepEqual(finished, ['first', 'second']);
});
