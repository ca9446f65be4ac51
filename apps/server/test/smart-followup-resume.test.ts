// A run whose process stops answering mid-analysis (its lease runs out) is resumed by another
// worker; the first one, waking up late, writes nothing for the claim it lost. Whatever the timing,
// each conversation gets one follow-up and one followup.detected.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { RUN_LEASE_MS } from '../src/features/followup/runs-store.ts';
import {
  abandonedChat,
  analysisOf,
  answerWith,
  followupShop,
  listFollowups,
  logsOf,
  postConversation,
  startFollowupWorld,
  trigger,
  type FollowupWorld,
} from './helpers/smart-followup.ts';
import { callOk, createTestWorker } from './helpers/webhooks.ts';

let world: FollowupWorld;
before(async () => {
  world = await startFollowupWorld();
});
after(() => world.close());

test('a run taken over after its lease ran out is finished by the new worker; the old one writes nothing', async () => {
  const shop = await followupShop(world);
  await postConversation(world, shop.token, '+34655000001', abandonedChat);
  world.t.clock.advance(60_000);
  await postConversation(world, shop.token, '+34655000002', abandonedChat);
  world.llm.reset();
  world.llm.script({ ...answerWith(analysisOf()), hold: true });
  await trigger(world, shop.token);

  const stalled = createTestWorker(world.t);
  const [run] = await stalled.tick();
  assert.ok(run !== undefined);
  await world.llm.waitForRequests(1);

  // The stalled process's lease runs out; another worker takes the run over and resumes it.
  world.t.clock.advance(RUN_LEASE_MS + 1_000);
  world.llm.script(answerWith(analysisOf()), answerWith(analysisOf()));
  await createTestWorker(world.t).drain();
  assert.equal(world.llm.requests.length, 3, 'the interrupted analysis was made again, then the other one');

  // The stalled process wakes up: its answer arrives, and every write for its lost claim misses.
  world.llm.release();
  await run.done;
  await world.worker.drain();

  const followups = await listFollowups(world, shop.token);
  assert.deepEqual(followups.map((followup) => followup.phone).sort(), ['+34655000001', '+34655000002']);
  const { entries } = await logsOf(world, shop.token);
  assert.equal(entries.length, 2);
  for (const entry of entries) {
    assert.equal(entry.state, 'analysed');
    assert.equal(entry.action_taken, 'webhook_fired');
  }
  const detected = world.receiver.requests.filter(
    (request) => request.header('x-webhook-event') === 'followup.detected',
  );
  assert.equal(detected.length, 2);
  const config = await callOk(world.t, shop.token, 'get_smart_followup_config');
  assert.equal((config.structuredContent.last_run as { status: string }).status, 'completed');
});
