/**
 * When Smart Follow-up runs and when a follow-up may become due, on the shop's wall clock
 * (docs/smart-followup.md). Pure: every function takes the instant it reasons from.
 */
import type { SmartFollowupSettings } from '@parley/contract';
import { addDays, dayOf, instantAt, localTime, weekdayOf } from '../../lib/zoned-time.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type RunSettings = Pick<SmartFollowupSettings, 'run_hour' | 'run_days'>;

/** The scheduled run times around `day`, in order; a week holds at least one run day. */
function runTimesAround(settings: RunSettings, timeZone: string, day: string, fromOffset: number): Date[] {
  const times: Date[] = [];
  for (let offset = fromOffset; offset <= fromOffset + 16; offset++) {
    const candidate = addDays(day, offset);
    if (settings.run_days.includes(weekdayOf(candidate))) {
      times.push(instantAt(candidate, settings.run_hour, timeZone));
    }
  }
  return times;
}

/** The first scheduled run strictly after `after`. */
export function nextRunAfter(settings: RunSettings, timeZone: string, after: Date): Date {
  const next = runTimesAround(settings, timeZone, dayOf(after, timeZone), -1).find((time) => time > after);
  if (next === undefined) throw new Error('run_days lists no weekday');
  return next;
}

/** The last scheduled run strictly before `before`. */
export function previousRunBefore(settings: RunSettings, timeZone: string, before: Date): Date {
  const previous = runTimesAround(settings, timeZone, dayOf(before, timeZone), -9)
    .filter((time) => time < before)
    .at(-1);
  if (previous === undefined) throw new Error('run_days lists no weekday');
  return previous;
}

/**
 * The conversations a run at `at` looks at: those active since `lookback_hours` ago, or since the
 * previous scheduled run when that is earlier, so that a day off rolls its conversations into the
 * next run instead of losing them.
 */
export function scheduledWindow(
  settings: Pick<SmartFollowupSettings, 'run_hour' | 'run_days' | 'lookback_hours'>,
  timeZone: string,
  at: Date,
): { from: Date; to: Date } {
  const lookback = at.getTime() - settings.lookback_hours * HOUR_MS;
  const previous = previousRunBefore(settings, timeZone, at).getTime();
  return { from: new Date(Math.min(lookback, previous)), to: at };
}

/** A manual run looks back `lookback_hours` from now. */
export const manualWindow = (settings: Pick<SmartFollowupSettings, 'lookback_hours'>, at: Date) => ({
  from: new Date(at.getTime() - settings.lookback_hours * HOUR_MS),
  to: at,
});

type WindowSettings = Pick<SmartFollowupSettings, 'sending_window_start' | 'sending_window_end'>;

/** Whether the shop's clock at `at` is inside the sending window [start, end), which may wrap past midnight. */
export function insideSendingWindow(settings: WindowSettings, timeZone: string, at: Date): boolean {
  const { sending_window_start: start, sending_window_end: end } = settings;
  if (start === null || end === null) return true;
  const { hour } = localTime(at, timeZone);
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** `at` when it is inside the sending window, else the window's next opening. */
export function intoSendingWindow(settings: WindowSettings, timeZone: string, at: Date): Date {
  const start = settings.sending_window_start;
  if (start === null || insideSendingWindow(settings, timeZone, at)) return at;
  const today = dayOf(at, timeZone);
  const opening = instantAt(today, start, timeZone);
  return opening > at ? opening : instantAt(addDays(today, 1), start, timeZone);
}

/**
 * When a follow-up becomes due: `delay_days` after the conversation went quiet (never before it
 * was created), moved into the sending window.
 */
export function followupDueAt(
  settings: WindowSettings & Pick<SmartFollowupSettings, 'delay_days'>,
  timeZone: string,
  quietSince: Date,
  now: Date,
): Date {
  const afterDelay = new Date(Math.max(quietSince.getTime() + settings.delay_days * DAY_MS, now.getTime()));
  return intoSendingWindow(settings, timeZone, afterDelay);
}

/** A follow-up that could only become due this late (the server was down) is stale: expired instead. */
export const EXPIRE_AFTER_MS = 72 * HOUR_MS;
