import { timingSafeEqual } from 'node:crypto';

/**
 * Byte equality whose time depends only on the lengths. Lengths are public (each scheme fixes its
 * signature size), so a mismatch answers false at once instead of letting timingSafeEqual throw.
 */
export function compareInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
