import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleGraph, SETTLE_DEADLINE_MS, SETTLE_QUIET_MS } from './module-graph.ts';

/** WhatsApp's Meta loader as the page has it: `require`, `__debug.modulesMap`, a log of each miss. */
function metaPage(modules: Record<string, unknown>, options: { registry?: boolean } = {}) {
  const required: string[] = [];
  const misses: string[] = [];
  const page = {
    require(name: string) {
      required.push(name);
      // A fresh map each time, as a loader may hand out: modules registered later must still be seen.
      if (name === '__debug' && options.registry !== false) return { modulesMap: { ...modules } };
      if (!(name in modules)) {
        // WhatsApp's error guard logs every unknown module required.
        misses.push(name);
        throw new Error(`Requiring unknown module "${name}"`);
      }
      const value = modules[name];
      if (value instanceof Error) throw value;
      return value;
    },
  };
  return { page, required, misses };
}

function clock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

test('nothing is required until the module graph stops growing for a quiet window', () => {
  const modules: Record<string, unknown> = { WAWebChatCollection: { ChatCollection: {} } };
  const { page, required } = metaPage(modules);
  const time = clock();
  const graph = createModuleGraph(page, time.now);
  assert.equal(graph.settle(), false);
  assert.equal(graph.module('WAWebChatCollection'), undefined);
  time.advance(SETTLE_QUIET_MS - 1);
  modules.WAWebApiContact = {}; // still registering
  assert.equal(graph.settle(), false);
  time.advance(SETTLE_QUIET_MS - 1);
  assert.equal(graph.settle(), false);
  time.advance(1);
  assert.equal(graph.settle(), true);
  assert.ok(
    required.every((name) => name === '__debug'),
    'only the registry was read while waiting',
  );
  assert.deepEqual(graph.module('WAWebChatCollection'), { ChatCollection: {} });
  assert.deepEqual(graph.module('WAWebApiContact'), {}, 'registered after the first read of the map');
});

test('a graph that never settles is taken as settled at the deadline', () => {
  const modules: Record<string, unknown> = {};
  const time = clock();
  const graph = createModuleGraph(metaPage(modules).page, time.now);
  for (let i = 0; time.now() < SETTLE_DEADLINE_MS; i++) {
    modules[`WAWebModule${i}`] = {};
    graph.settle();
    time.advance(100);
  }
  assert.equal(graph.settle(), true);
});

test('an unregistered module is never required, so WhatsApp logs nothing; found ones are kept', () => {
  const { page, required, misses } = metaPage({ WAWebCollections: { Chat: {} } });
  const time = clock();
  const graph = createModuleGraph(page, time.now);
  graph.settle();
  time.advance(SETTLE_QUIET_MS);
  assert.equal(graph.settle(), true);
  for (let i = 0; i < 50; i++) {
    assert.equal(graph.module('WAWebChatCollection'), undefined);
    assert.ok(graph.module('WAWebCollections'));
  }
  assert.deepEqual(misses, []);
  // Required once per page load (the registry is read each time; reading it logs nothing).
  assert.deepEqual(
    required.filter((name) => name !== '__debug'),
    ['WAWebCollections'],
  );
});

test('without the registry, a failing require is retried only after a growing backoff', () => {
  const { page, misses } = metaPage({ WAWebCollections: { Chat: {} } }, { registry: false });
  const time = clock();
  const graph = createModuleGraph(page, time.now);
  assert.equal(graph.settle(), true, 'nothing to wait on');
  assert.equal(graph.module('WAWebChatCollection'), undefined);
  for (let i = 0; i < 100; i++) graph.module('WAWebChatCollection');
  assert.equal(misses.filter((name) => name === 'WAWebChatCollection').length, 1);
  time.advance(2_000);
  graph.module('WAWebChatCollection');
  time.advance(2_000); // the second backoff is 4 s
  graph.module('WAWebChatCollection');
  assert.equal(misses.filter((name) => name === 'WAWebChatCollection').length, 2);
  time.advance(2_000);
  graph.module('WAWebChatCollection');
  assert.equal(misses.filter((name) => name === 'WAWebChatCollection').length, 3);
});

test('a loader or a module factory that throws never throws out of the graph', () => {
  const time = clock();
  const throwing = createModuleGraph(
    {
      get require(): never {
        throw new Error('getter');
      },
    },
    time.now,
  );
  assert.equal(throwing.settle(), false);
  assert.equal(throwing.module('WAWebChatCollection'), undefined);
  const failing = createModuleGraph(metaPage({ WAWebApiContact: new Error('factory') }).page, time.now);
  time.advance(SETTLE_DEADLINE_MS);
  assert.equal(failing.settle(), true);
  assert.equal(failing.module('WAWebApiContact'), undefined);
});
