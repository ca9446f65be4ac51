/**
 * Runs `work` and counts the turns of the event loop while it runs. On PGlite, which answers through
 * promises alone, database work makes none unless it yields (setImmediate) on purpose.
 */
export async function countingLoopTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let counting = true;
  const count = () => {
    turns++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  try {
    return { result: await work(), turns };
  } finally {
    counting = false;
  }
}
