// A periodic source's schedule and its failures, claimed by hand with a manual clock.
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createManualClock } from '../clock.ts';
import { createLogger } from '../logger.ts';
import { createPeriodicJobSource } from './periodic.ts';

const HOUR_MS = 60 * 60_000;
const free = { total: 4, perKey: 4, busy: new Map<string, number>() };

function periodic(run: () => Promise<void>) {
  const clock = createManualClock();
  const logged: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const source = createPeriodicJobSource(
    { clock, logger: createLogger('info', destination) },
    {
      name: 'housekeeping',
      firstAfterMs: HOUR_MS,
      everyMs: 24 * HOUR_MS,
      run,
    },
  );
  return { source, clock, logged };
}

test('first due a delay after it is made, then every interval from the last start, one run at a time', async () => {
  const { source, clock } = periodic(async () => {});
  const start = clock.now().getTime();
  assert.equal((await source.nextDueAt())?.getTime(), start + HOUR_MS);
  clock.advance(HOUR_MS - 1);
  assert.deepEqual(await source.claim(free), []);
  clock.advance(1);
  const [first] = await source.claim(free);
  assert.equal(first?.key, 'housekeeping');
  assert.equal((await source.nextDueAt())?.getTime(), start + 25 * HOUR_MS);

  // Still running when the next is due: not joined by another.
  clock.advance(24 * HOUR_MS);
  assert.deepEqual(await source.claim({ ...free, busy: new Map([['housekeeping', 1]]) }), []);
  assert.equal((await source.claim(free)).length, 1);
});

test('a failed run is logged as a warning and the next one comes all the same', async () => {
  const { source, clock, logged } = periodic(async () => {
    throw new Error('disk full');
  });
  clock.advance(HOUR_MS);
  const [run] = await source.claim(free);
  await run?.run(new AbortController().signal);
  assert.equal(logged.length, 1);
  assert.equal(logged[0]?.level, 40);
  assert.equal(logged[0]?.msg, 'housekeeping failed; it runs again in 1440 min');
  assert.equal((logged[0]?.err as { message: string }).message, 'disk full');
  clock.advance(24 * HOUR_MS);
  assert.equal((await source.claim(free)).length, 1);
});
