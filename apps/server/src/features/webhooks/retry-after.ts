/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns the wait in ms from
 * `now`, or null when the header is absent or unreadable (then the schedule alone decides).
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its weekday and zone ("Sun, 06 Nov 1994 08:49:37 GMT"); anything
  // else Date.parse would guess at.
  if (!/^[A-Za-z]{3},? .*GMT$/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
