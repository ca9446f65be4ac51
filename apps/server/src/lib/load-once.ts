/**
 * A library loaded on first use instead of by every start: `loadOnce(() => import('x'))` gives a
 * function that imports it the first time and hands back that same promise after. Node keeps a loaded
 * module for the whole process anyway, so this holds no state of an app's; it spares each call the
 * module loader's lookup, which tsx (tests, in-process benchmarks) makes slow. Which libraries load
 * this way, and why, is in docs/decisions/performance-notes.md#what-a-start-loads.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
