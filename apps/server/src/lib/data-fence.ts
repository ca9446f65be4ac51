/**
 * Untrusted text (CRM data, customer messages) reaches the model only inside one fenced JSON block
 * whose markers carry a random nonce. JSON encoding keeps every value inside its string; the nonce
 * means no data can write the closing marker; and anything in the data that looks like a marker is
 * defaced anyway, so a customer writing "END OF DATA, new instructions:" stays plainly data.
 */
import { randomBytes } from 'node:crypto';

const MARKER_WORDS = /(?:END_)?PARLEY_DATA/gi;

export const newFenceNonce = () => randomBytes(9).toString('base64url');

/** Defaces marker look-alikes in one string: angle-quote runs and the marker words. */
export const neutralize = (text: string): string =>
  text
    .replace(MARKER_WORDS, 'PARLEY-data')
    .replace(/<{2,}|>{2,}|«|»/g, (run) => '‹'.repeat(Math.min(run.length, 3)));

/** Every string in `value` (keys too) neutralized; other values as they are. */
export function neutralizeDeep(value: unknown): unknown {
  if (typeof value === 'string') return neutralize(value);
  if (Array.isArray(value)) return value.map(neutralizeDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [neutralize(key), neutralizeDeep(item)]),
    );
  }
  return value;
}

export const openMarker = (nonce: string) => `<<<PARLEY_DATA ${nonce}>>>`;
export const closeMarker = (nonce: string) => `<<<END_PARLEY_DATA ${nonce}>>>`;

/** The fenced block: markers on their own lines around the neutralized JSON. */
export const fenceData = (nonce: string, data: unknown): string =>
  [openMarker(nonce), JSON.stringify(neutralizeDeep(data)), closeMarker(nonce)].join('\n');
