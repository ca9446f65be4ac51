// No import cycles in the server (docs/architecture.md): modules that import each other, directly or
// through others, start in an order that depends on who is imported first, and a cycle is how a
// dependency against the arrows usually begins. Type-only imports are erased at run time and are not
// counted. ESLint holds the layers apart; this test holds every module, within a layer too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const src = new URL('../src', import.meta.url).pathname;

const modulesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modulesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

/** The relative modules a file imports or re-exports for their values. */
function valueImports(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const statement = /^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gms;
  return [...text.matchAll(statement)]
    .filter((match) => match[1] === undefined)
    .map((match) => resolve(dirname(file), match[2] as string))
    .filter((target) => known.has(target));
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: ReadonlyMap<string, string[]>): string[][] {
  let next = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (module: string) => {
    order.set(module, next);
    low.set(module, next);
    next++;
    stack.push(module);
    onStack.add(module);
    for (const target of graph.get(module) ?? []) {
      if (!order.has(target)) {
        visit(target);
        low.set(module, Math.min(low.get(module)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(module, Math.min(low.get(module)!, order.get(target)!));
      }
    }
    if (low.get(module) !== order.get(module)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== module);
    if (component.length > 1) found.push(component);
  };
  for (const module of graph.keys()) if (!order.has(module)) visit(module);
  return found;
}

test('no module of apps/server/src imports itself through others', () => {
  const modules = modulesUnder(src);
  const known = new Set(modules);
  const graph = new Map(modules.map((module) => [module, valueImports(module, known)]));
  assert.ok(graph.size > 100, 'the server has its modules');
  const found = cycles(graph).map((component) => component.map((module) => relative(src, module)).sort());
  assert.deepEqual(found, []);
});

test('the cycle finder finds one', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(
    cycles(graph).map((component) => component.sort()),
    [['a', 'b', 'c']],
  );
});
