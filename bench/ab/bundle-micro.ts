/**
 * Micro A/B of the operations in bench/lib/ab-micro.ts between two versions of the code, each bundled
 * as `npm start` runs the server (bench/lib/bundle-variant.ts):
 * `node --import tsx bench/ab/bundle-micro.ts <revA> [revB] [--keep-names] [--rounds=N] [--only=<case>]`
 * (git revisions; revB defaults to the working tree). `--keep-names` adds both versions bundled with
 * esbuild's keepNames, as tsx runs them. Every version is loaded in this process and the rounds
 * alternate between them (the order reversed every round), each timing one operation repeated for
 * ~25 ms of this thread's CPU; it prints the median CPU per operation of each version, the spread of
 * its rounds, and the median of the per-round ratios to A.
 */
import { loadavg } from 'node:os';
import type { Operation } from '../lib/ab-micro.ts';
import {
  abArguments,
  bundleVariant,
  removeBundleVariants,
  type BundleVariant,
} from '../lib/bundle-variant.ts';
import { median } from '../lib/stats.ts';
import { mainThreadCpuNs } from '../lib/thread-cpu.ts';

const { revA, revB, option, flag } = abArguments('bundle-micro.ts');
const ROUNDS = Number(option('rounds') ?? 30);
const only = option('only');
const ROUND_NS = 25e6;

const variants: Array<BundleVariant & { name: string }> = [
  { name: 'A', rev: revA },
  { name: 'B', rev: revB },
  ...(flag('keep-names')
    ? [
        { name: 'A keepNames', rev: revA, keepNames: true },
        { name: 'B keepNames', rev: revB, keepNames: true },
      ]
    : []),
];

const cpuNs = () => {
  const ns = mainThreadCpuNs();
  if (ns === undefined) throw new Error('thread CPU time is read from /proc (Linux only)');
  return ns;
};

async function repeat(operation: Operation, times: number): Promise<number> {
  const before = cpuNs();
  for (let i = 0; i < times; i++) {
    const result = operation();
    if (result instanceof Promise) await result;
  }
  return (cpuNs() - before) / times;
}

try {
  const loaded = await Promise.all(
    variants.map(async (variant, index) => {
      const bundle = await bundleVariant('bench/lib/ab-micro.ts', variant, `micro-${index}`);
      const module = (await import(bundle)) as { cases: Record<string, () => Operation> };
      return { ...variant, cases: module.cases };
    }),
  );
  const names = Object.keys(loaded[0]?.cases ?? {}).filter((name) => only === undefined || name === only);
  process.stdout.write(
    `A ${revA}  B ${revB}: CPU per operation, median of ${ROUNDS} alternating rounds (min-max); load average ${loadavg()[0]?.toFixed(1)}\n`,
  );
  for (const name of names) {
    const operations = loaded.map((variant) => {
      const make = variant.cases[name];
      if (make === undefined) throw new Error(`${variant.name} has no case "${name}"`);
      return make();
    });
    // Warm-up, and the repetitions that make a round of ~ROUND_NS.
    let times = 100;
    for (const operation of operations) await repeat(operation, 20_000);
    while ((await repeat(operations[0] ?? (() => undefined), times)) * times < ROUND_NS / 4) times *= 2;
    times *= 4;
    const perOp = operations.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      const order = operations.map((_, index) => index);
      if (round % 2 === 1) order.reverse();
      for (const index of order)
        perOp[index]?.push(await repeat(operations[index] ?? (() => undefined), times));
    }
    const a = perOp[0] ?? [];
    const lines = loaded.map((variant, index) => {
      const values = perOp[index] ?? [];
      const ratios = values.map((value, round) => value / (a[round] ?? NaN));
      const range = `${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))}`;
      const ratio =
        index === 0
          ? ''
          : `  x${median(ratios).toFixed(3)} of A (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
      return `  ${variant.name.padEnd(12)} ${Math.round(median(values)).toLocaleString('en').padStart(7)} ns (${range})${ratio}`;
    });
    process.stdout.write(`${name} (${times.toLocaleString('en')} per round)\n${lines.join('\n')}\n`);
  }
} finally {
  removeBundleVariants();
}
