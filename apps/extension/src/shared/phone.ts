/**
 * WhatsApp writes a chat's number as bare digits (country code first); Parley looks customers up by
 * E.164. Where WhatsApp's digits differ from the number a CRM stores, this is the one place that
 * reconciles them.
 */

/** Digits as WhatsApp uses them (`34655123987`) to E.164 (`+34655123987`); null if not a plausible phone. */
export function phoneFromWhatsAppDigits(digits: string): string | null {
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  return `+${normalizeCountryQuirks(digits)}`;
}

/**
 * - Mexico: WhatsApp keeps the old mobile prefix `1` after `52` (`521` + 10 digits); since 2019 the
 *   E.164 number has no `1`, which is what CRMs store. Mexican area codes never start with 1, so
 *   dropping it is unambiguous.
 * - Argentina: mobiles are `549` + 10 digits in E.164 and in WhatsApp, but numbers copied from a
 *   header or a landline-style listing often lack the `9` (`54` + 10 digits). Every WhatsApp number
 *   is a mobile, so the `9` is restored.
 */
function normalizeCountryQuirks(digits: string): string {
  if (/^521\d{10}$/.test(digits)) return `52${digits.slice(3)}`;
  if (/^54[1-8]\d{9}$/.test(digits)) return `549${digits.slice(2)}`;
  return digits;
}

/**
 * A header title that is a phone number as WhatsApp shows unsaved contacts (`+34 655 12 39 87`,
 * `+52 1 55 1234 5678`, `+54 9 11 2345-6789`) to E.164; null for anything else (a contact's name,
 * a number without its `+`, which could be anything).
 */
export function phoneFromDisplayedNumber(text: string): string | null {
  // U+202A/U+202C (bidi embedding) and NBSP surround numbers in WhatsApp's markup.
  const cleaned = text.replace(/[\u202a-\u202e\u00a0\u2009\u200e\u200f]/g, ' ').trim();
  if (!/^\+\d[\d\s().-]{5,24}$/.test(cleaned)) return null;
  return phoneFromWhatsAppDigits(cleaned.replace(/\D/g, ''));
}
