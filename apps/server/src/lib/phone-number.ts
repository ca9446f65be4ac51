/**
 * Phone numbers as people type them (`+34 655 12 39 87`, `0034655123987`, `655123987`) turned into
 * E.164, the one form Parley stores, caches by and sends to CRMs. A national number is read with the
 * shop's default country (docs/side-panel.md#phones). Validity is checked against libphonenumber's full
 * metadata, so a typo is refused with the reason instead of being sent to a CRM that will never find it.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { loadOnce } from './load-once.ts';

/** libphonenumber with its full metadata, loaded with the first phone rather than by every start. */
export const loadPhoneLibrary = loadOnce(() => import('libphonenumber-js/max'));

/** Whether `input` names its country itself (`+34…`), so no default country is needed to read it. */
export const isInternationalForm = (input: string): boolean => input.trimStart().startsWith('+');

export type PhoneParse = { ok: true; e164: string } | { ok: false; problem: string };

const notANumber = 'it is not a phone number';

const lengthProblems: Record<string, string> = {
  NOT_A_NUMBER: notANumber,
  INVALID_COUNTRY: 'it has no country calling code (start it with + and the code)',
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'its length is not used in its country',
};

/**
 * `defaultCountry` (ISO 3166-1 alpha-2) is needed only for national numbers; one libphonenumber
 * does not know is ignored.
 */
export async function parsePhoneNumber(input: string, defaultCountry?: string): Promise<PhoneParse> {
  const { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength } =
    await loadPhoneLibrary();
  const country =
    defaultCountry !== undefined && isSupportedCountry(defaultCountry)
      ? (defaultCountry as CountryCode)
      : undefined;
  const parsed = parsePhoneNumberFromString(input, country);
  if (parsed?.isValid() === true) return { ok: true, e164: parsed.number };
  const byLength = lengthProblems[validatePhoneNumberLength(input, country) ?? ''];
  // Right length but invalid: the number plan has no such range (a typo in the first digits).
  const problem = byLength ?? (parsed === undefined ? notANumber : 'no number is assigned in that range');
  return { ok: false, problem };
}
