/**
 * Finds the phone numbers written in a message text (docs/conversations.md#what-is-detected), normalized to
 * E.164.
 *
 * A number found in text counts only when all of these hold; the aim is that a detection is a
 * phone a person answers, because every one becomes a `phone.detected` event, often a CRM lead:
 *
 * 1. libphonenumber-js finds it at leniency VALID: the digits form a number that is *valid* in the
 *    metadata (an assigned range of its country, right length), not merely *possible* (length
 *    only, which most 9-digit order numbers pass in Spain); it is not glued to Latin letters
 *    (tracking codes such as SE123456789ES, DNI 12345678Z) nor to a currency sign or `%`; and it
 *    is not a slash-separated date or a timestamp. Numbers without a country code are read in the
 *    shop's country; others need their `+`/`00` prefix.
 * 2. Its type reaches a person or a business line a person answers: mobile, fixed line, personal,
 *    VoIP. Toll-free, premium-rate, shared-cost, UAN, pager and voicemail numbers are service
 *    numbers (the customer quoting "900 123 456" is not giving their phone).
 * 3. The words just before it do not say it is something else ("pedido 612345678",
 *    "order #4155552671", "ref: …", "factura nº …", "€ …"), and no currency or `%` follows it
 *    ("612.345.678 €"). Bare "número"/"number" is not such a word: "mi número es …" is a phone.
 *
 * What remains ambiguous ("son 612345678 unidades") is detected: a missed lead costs more than a
 * spurious one, and each phone is detected once per shop anyway.
 */
import type { CountryCode, PhoneNumberType } from 'libphonenumber-js/max';
import { loadOnce } from '../../lib/load-once.ts';
import { loadPhoneLibrary } from '../../lib/phone-number.ts';

/** Finds the phones of one text, each once, in the order written. */
export type PhoneFinder = (text: string) => string[];

const personalTypes: ReadonlySet<PhoneNumberType> = new Set([
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'PERSONAL_NUMBER',
  'VOIP',
]);

/**
 * Words that name a number as something other than a phone (Spanish and English). Words that also
 * introduce a phone ("para el envío: 612…", "for the booking: …") are left out on purpose.
 */
const otherNumberWords = [
  'pedidos?',
  'orden(?:es)?',
  'orders?',
  'facturas?',
  'invoices?',
  'ref',
  'referencia',
  'reference',
  'albar[aá]n',
  'seguimiento',
  'tracking',
  'localizador',
  'c[oó]digo',
  'code',
  'cup[oó]n',
  'coupon',
  'dni',
  'nif',
  'nie',
  'cif',
  'iban',
  'id',
  'sku',
  'ticket',
  'transacci[oó]n',
  'transaction',
  'precio',
  'price',
  'importe',
  'amount',
  'total',
  'cp',
  'zip',
  'postal',
  'expediente',
  'incidencia',
  'serie',
  'serial',
  'lote',
  'recibo',
  'receipt',
].join('|');
/** Words that may stand between such a word and the number: "order number is 4155552671". */
const connectorWords = 'number|num|no|n[º°]|n\\.º|n[uú]mero|n[uú]m|is|es|el|la|de|del|id|code|c[oó]digo';
const separators = '[\\s:#./=º°-]';
const notInWord = '(?![\\p{L}\\p{N}])';

const namedOtherwise = new RegExp(
  `(?:(?<![\\p{L}\\p{N}])(?:${otherNumberWords})${notInWord}(?:${separators}+(?:${connectorWords})${notInWord})*` +
    `|#|(?<![\\p{L}\\p{N}])n[º°]|n\\.º|\\p{Sc}|(?<![\\p{L}\\p{N}])(?:eur|usd|gbp|mxn)${notInWord})${separators}*$`,
  'iu',
);
const currencyAfter = new RegExp(
  `^\\s*(?:\\p{Sc}|%|(?:eur|usd|gbp|mxn|euros?|d[oó]lares|dollars?|pesos|libras|pounds)${notInWord})`,
  'iu',
);
/** Long enough for the words and connectors above; a longer look-back only costs time. */
const lookBehindChars = 48;
const lookAheadChars = 12;

/**
 * A text with fewer digits than any valid number has in the metadata (4, e.g. Tokelau)
 * cannot hold a phone; this test lets most chat messages skip the matcher entirely. Digits of any
 * script count, as the matcher reads them too.
 */
const loadFinder = loadOnce(async () => {
  const library = await loadPhoneLibrary();
  const metadata = new library.Metadata();
  let fewest = Number.POSITIVE_INFINITY;
  for (const country of library.getCountries()) {
    metadata.selectNumberingPlan(country);
    for (const length of metadata.numberingPlan?.possibleLengths() ?? []) fewest = Math.min(fewest, length);
  }
  return { library, enoughDigits: new RegExp(`(?:\\p{Nd}\\P{Nd}*){${fewest}}`, 'u') };
});

/**
 * A finder for one default country (ISO-2; an unsupported one means only numbers written with
 * their country code are found). Create it once per batch, not per message.
 */
export async function createPhoneFinder(defaultCountry: string): Promise<PhoneFinder> {
  const { library, enoughDigits } = await loadFinder();
  const options = library.isSupportedCountry(defaultCountry)
    ? { defaultCountry: defaultCountry as CountryCode }
    : {};
  return (text) => {
    if (!enoughDigits.test(text)) return [];
    const phones: string[] = [];
    for (const found of library.findPhoneNumbersInText(text, options)) {
      const type = found.number.getType();
      if (type === undefined || !personalTypes.has(type)) continue;
      if (namedOtherwise.test(text.slice(Math.max(0, found.startsAt - lookBehindChars), found.startsAt))) {
        continue;
      }
      if (currencyAfter.test(text.slice(found.endsAt, found.endsAt + lookAheadChars))) continue;
      const phone = found.number.number;
      if (!phones.includes(phone)) phones.push(phone);
    }
    return phones;
  };
}
