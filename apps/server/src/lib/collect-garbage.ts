/**
 * One full garbage collection, as `node --expose-gc` would allow, for the one moment it pays: right
 * after PGlite's first start, whose initdb leaves about half a gigabyte of garbage that V8 would
 * otherwise keep in the process's memory for minutes (docs/operations.md#memory).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}
