/**
 * When a disabled endpoint is probed next (docs/crm-endpoints.md#errors-and-health): 1 minute after it was
 * disabled, then 5 minutes after that probe, then 15, then every 30 minutes. Soon enough that a short
 * outage heals by itself, rarely enough that a CRM that is down for the night is not hammered.
 */
const MINUTE = 60_000;
/** The delay before each probe; the last one repeats. */
const FIRST_MS = 1 * MINUTE;
const THEN_MS = [5 * MINUTE, 15 * MINUTE];
const REPEAT_MS = 30 * MINUTE;

/**
 * Which delay comes next is read from how long after disabling the last probe ran, so no probe counter
 * is stored and a late probe (a busy worker, a restart) does not tighten the schedule. A probe from
 * before the endpoint was last disabled belongs to an earlier outage and is ignored.
 */
export function nextProbeAt(disabledAt: Date, lastProbeAt: Date | null): Date {
  const disabled = disabledAt.getTime();
  if (lastProbeAt === null || lastProbeAt.getTime() < disabled) return new Date(disabled + FIRST_MS);
  const probed = lastProbeAt.getTime();
  let boundary = disabled + FIRST_MS;
  for (const delay of THEN_MS) {
    boundary += delay;
    if (probed < boundary) return new Date(probed + delay);
  }
  return new Date(probed + REPEAT_MS);
}
