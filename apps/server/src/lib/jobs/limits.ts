/**
 * How much one claim may take. Runs share a key (a shop) when they call the same receiver; a cap
 * per key keeps one slow receiver from holding every slot of the worker while others wait.
 */
export interface ClaimLimits {
  /** Free slots of the whole worker. */
  total: number;
  /** The most runs one key may have at once. */
  perKey: number;
  /** Runs in progress per key. */
  busy: ReadonlyMap<string, number>;
}

/** The candidates to take, in their order, within the limits; the others are left for a later claim. */
export function pickWithinLimits<T extends { key: string }>(
  candidates: readonly T[],
  limits: ClaimLimits,
): T[] {
  const taken = new Map<string, number>();
  const picked: T[] = [];
  for (const candidate of candidates) {
    if (picked.length >= limits.total) break;
    const alreadyTaken = taken.get(candidate.key) ?? 0;
    if ((limits.busy.get(candidate.key) ?? 0) + alreadyTaken >= limits.perKey) continue;
    taken.set(candidate.key, alreadyTaken + 1);
    picked.push(candidate);
  }
  return picked;
}

/** Keys already at their cap, which a claim need not even look at. */
export const saturatedKeys = (limits: ClaimLimits): string[] =>
  [...limits.busy].filter(([, running]) => running >= limits.perKey).map(([key]) => key);
