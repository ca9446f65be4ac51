import { readFileSync } from 'node:fs';

/** Linux reports thread CPU time in clock ticks; 100 per second on every common kernel configuration. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) the main thread has used so far, or undefined off Linux. Unlike
 * wall-clock or event-loop figures it does not grow when other processes compete for the cores.
 * Node 20 has no per-thread CPU API (process.threadCpuUsage arrives in Node 23).
 */
export function mainThreadCpuMs(): number | undefined {
  return cpuMsFromStat(`/proc/self/task/${process.pid}/stat`);
}

/** CPU time (user + system, ms, every thread) another process has used so far, or undefined off Linux. */
export function processCpuMs(pid: number): number | undefined {
  return cpuMsFromStat(`/proc/${pid}/stat`);
}

function cpuMsFromStat(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Starts measuring the main thread's CPU time; the function returned gives the µs spent per item since. */
export function startCpuMeter(): (items: number) => number {
  const before = mainThreadCpuMs() ?? NaN;
  return (items) => (((mainThreadCpuMs() ?? NaN) - before) * 1000) / items;
}

/**
 * CPU time the main thread has run so far in ns (Linux's schedstat, no tick rounding), or undefined off
 * Linux: for runs too short for the 10 ms ticks of mainThreadCpuMs.
 */
export function mainThreadCpuNs(): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns : undefined;
  } catch {
    return undefined;
  }
}
