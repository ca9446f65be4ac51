/**
 * Phones the panel receives (query strings, link bodies) become E.164 or a 400 INVALID_PHONE that says
 * what to send. A national number is read with the shop's country (remembered per process, see
 * shops/country.ts), which is not needed at all for the `+…` form the extension usually sends.
 */
import type { AppDeps } from '../../app-deps.ts';
import { AppError } from '../../lib/errors.ts';
import { isInternationalForm, parsePhoneNumber } from '../../lib/phone-number.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { shopCountry } from '../shops/index.ts';

/**
 * Parsing against the full metadata costs tens of microseconds, a good part of a cached lookup, and
 * the panel reads the same phones over and over. A result never changes; the lifetime only bounds how
 * long a phone nobody asks for stays in memory.
 */
const PARSED_LIFETIME = { freshMs: 60 * 60_000, staleMs: 0 };

export class PhoneReader {
  readonly #deps: Pick<AppDeps, 'db' | 'clock' | 'invalidation'>;
  readonly #parsed: TtlCache<string>;

  constructor(deps: Pick<AppDeps, 'db' | 'clock' | 'invalidation'>) {
    this.#deps = deps;
    this.#parsed = new TtlCache({ maxEntries: 10_000, clock: deps.clock });
  }

  /** The E.164 form of `input`; `field` names it in the error (`phone`, `customer.phone`). */
  async read(shopId: string, input: string, field: string): Promise<string> {
    const country = isInternationalForm(input) ? undefined : await shopCountry(this.#deps, shopId);
    const key = `${country ?? ''}|${input}`;
    const known = this.#parsed.get(key);
    if (known !== undefined) return known.value;
    const parsed = await parsePhoneNumber(input, country);
    if (parsed.ok) {
      // Only valid phones are kept, so junk input cannot push them out.
      this.#parsed.set(key, parsed.e164, PARSED_LIFETIME);
      return parsed.e164;
    }
    throw new AppError(
      'INVALID_PHONE',
      `${field}: ${JSON.stringify(input)} is not a usable phone number (${parsed.problem}). ` +
        `Send it in E.164, such as +34612345678, or as a national number of the shop's country ` +
        `(${country ?? (await shopCountry(this.#deps, shopId))}).`,
      400,
    );
  }
}
