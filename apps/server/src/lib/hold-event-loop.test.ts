// The start's hold on the event loop is a timer that is open while the work runs and closed after,
// whether the work succeeds or fails (a failed start must still let the process end).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { holdingEventLoop } from './hold-event-loop.ts';

const openTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

test('holds a timer open while the work runs and closes it after, on success and on failure', async () => {
  const before = openTimers();
  const during = await holdingEventLoop(async () => openTimers());
  assert.equal(during, before + 1);
  assert.equal(openTimers(), before);

  await assert.rejects(
    holdingEventLoop(async () => {
      assert.equal(openTimers(), before + 1);
      throw new Error('the start failed');
    }),
    /the start failed/,
  );
  assert.equal(openTimers(), before);
});
