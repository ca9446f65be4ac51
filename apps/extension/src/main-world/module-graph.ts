/**
 * Quiet access to WhatsApp Web's modules. WhatsApp exposes its module loader as `window.require`;
 * requiring a name it does not have makes its error guard log "Requiring unknown module", and at one
 * detection per page change that floods the console. So, as wppconnect-team/wa-js does
 * (src/loader/index.ts):
 * - nothing is required before the module graph settles: the count of registered modules
 *   (`require('__debug').modulesMap`) must stop growing for a quiet window, or a deadline pass;
 * - a name is only required when `modulesMap` lists it (reading the map is silent);
 * - a module found is kept for the page's life (once per page load); a require that throws is not
 *   tried again before a backoff that doubles with each failure.
 * Nothing here throws: every call into WhatsApp's code is guarded.
 */

/** Like wa-js's waitForMetaModulesSettle: the graph is settled after this long without new modules. */
export const SETTLE_QUIET_MS = 750;
/** Past this, the graph is taken as settled whatever it does (the markup still works meanwhile). */
export const SETTLE_DEADLINE_MS = 20_000;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 60_000;

export interface ModuleGraph {
  /** Samples the graph (call it until it answers true); true once settled. */
  settle(): boolean;
  readonly settled: boolean;
  /** The module's exports, or undefined when it is not registered, not settled yet, or threw. */
  module(name: string): unknown;
}

type Loader = (name: string) => unknown;

export function createModuleGraph(page: object, now: () => number): ModuleGraph {
  const started = now();
  let settled = false;
  let lastCount = -1;
  let lastChange = started;
  /** Undefined: not probed yet; null: this page's loader has no `__debug` registry; else the last map read. */
  let registry: Record<string, unknown> | null | undefined;
  const found = new Map<string, unknown>();
  const failed = new Map<string, { retryAt: number; backoff: number }>();

  const loader = (): Loader | null => {
    const value = field(page, 'require');
    return typeof value === 'function' ? (value as Loader) : null;
  };

  /**
   * `modulesMap`, read afresh each time (wa-js's `__debug()` does too: the map may be replaced as
   * modules register). `__debug` is part of the loader or never there, so one failure settles it.
   */
  const modulesMap = (load: Loader): Record<string, unknown> | null => {
    if (registry === null) return null;
    const map = guarded(() => field(load('__debug'), 'modulesMap'));
    if (typeof map === 'object' && map !== null) registry = map as Record<string, unknown>;
    else if (registry === undefined) registry = null;
    return registry;
  };

  const settle = (): boolean => {
    if (settled) return true;
    const time = now();
    const load = loader();
    const map = load === null ? null : modulesMap(load);
    if (load !== null && map === null) {
      // An older loader without the registry: nothing to wait on; misses are bounded by the backoff.
      settled = true;
    } else if (map !== null) {
      const count = guarded(() => Object.keys(map).length) ?? 0;
      if (count !== lastCount) {
        lastCount = count;
        lastChange = time;
      } else if (count > 0 && time - lastChange >= SETTLE_QUIET_MS) {
        settled = true;
      }
    }
    if (time - started >= SETTLE_DEADLINE_MS) settled = true;
    return settled;
  };

  const module = (name: string): unknown => {
    if (found.has(name)) return found.get(name);
    if (!settled) return undefined;
    const load = loader();
    if (load === null) return undefined;
    const map = modulesMap(load);
    if (map !== null && !(guarded(() => name in map) ?? false)) return undefined;
    const time = now();
    const failure = failed.get(name);
    if (failure !== undefined && time < failure.retryAt) return undefined;
    const exports = guarded(() => load(name));
    if (exports === undefined || exports === null) {
      const backoff =
        failure === undefined ? FIRST_BACKOFF_MS : Math.min(failure.backoff * 2, MAX_BACKOFF_MS);
      failed.set(name, { retryAt: time + backoff, backoff });
      return undefined;
    }
    failed.delete(name);
    found.set(name, exports);
    return exports;
  };

  return {
    settle,
    get settled() {
      return settled;
    },
    module,
  };
}

export function field(value: unknown, name: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return guarded(() => (value as Record<string, unknown>)[name]);
}

/** Runs a read of WhatsApp's objects; a getter that throws reads as undefined. */
export function guarded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
