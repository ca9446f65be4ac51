import { z } from 'zod';
import { describeValue } from './describe-value.ts';
import { normalizeIsoDate } from './iso-date.ts';

/*
 * Leaf schemas of the CRM answers. CRMs are written in every language, so each leaf accepts the forms
 * they commonly emit (numbers as strings, ids as numbers) and names what it expected when it refuses.
 * `null` and an empty string mean "no value" everywhere: PHP and SQL-backed CRMs send them for blanks,
 * and a blank is not something the integrator has to fix.
 */

const expected =
  (what: string, hint = '') =>
  (issue: { input?: unknown }) =>
    `expected ${what}, got ${describeValue(issue.input)}${hint}`;

/** Blank strings become null; numbers become their decimal text (an order "name" is often 1001). */
function asText(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Why a leaf refused a value: one message per problem, each saying what was expected. */
class Refusal {
  constructor(readonly messages: readonly string[]) {}
}

/**
 * A leaf in one zod step: `read` turns what the CRM sent into the value to keep (null or undefined
 * for none) or a Refusal. Leaves are most of an answer, and the preprocess pipe each used to be
 * (transform, pipe, optional, nullable, type check) cost several times this one transform. Wrapped in
 * .optional() it stands for `z.preprocess(…, <type>.nullish())`: the same values, messages and
 * handling of an absent key; bare it stands for a preprocess pipe that ends in a transform.
 */
const leaf = <T>(read: (value: unknown) => T | null | undefined | Refusal) =>
  z.transform((value: unknown, payload): T | null | undefined => {
    const result = read(value);
    if (!(result instanceof Refusal)) return result;
    for (const message of result.messages) payload.issues.push({ code: 'custom', input: value, message });
    return z.NEVER;
  });

/** A nullish leaf: the value, once `prepare`d, is kept when `accepts` says so and refused otherwise. */
function checkedLeaf<T>(
  prepare: (value: unknown) => unknown,
  accepts: (value: unknown) => value is T,
  describe: (issue: { input: unknown }) => string,
) {
  return leaf((value) => {
    const prepared = prepare(value);
    if (prepared === null || prepared === undefined || accepts(prepared)) return prepared;
    return new Refusal([describe({ input: prepared })]);
  }).optional();
}

const isString = (value: unknown): value is string => typeof value === 'string';

const textOf = (what: string) => checkedLeaf(asText, isString, expected(what));

export const text = textOf('a string');

/** Ids are shown and sent back (links), never computed with, so a number id becomes its text. */
export const identifier = textOf('an id (a string or a number)');

/**
 * Only a plain decimal string is read as a number. "1.234,56" or "1,234.56" is refused rather than
 * guessed: "1.234" means 1234 in Spain and 1.234 in the US, and a silently wrong total is worse than a
 * warning that tells the integrator to send 1234.56.
 */
const plainDecimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function asNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return plainDecimal.test(trimmed) ? Number(trimmed) : value;
}

export const numeric = checkedLeaf(
  asNumber,
  // What z.number() accepts: a huge plain decimal string reads as Infinity, which is refused.
  (value): value is number => typeof value === 'number' && Number.isFinite(value),
  expected(
    'a number',
    '; send a JSON number or a plain decimal string such as "1234.56" (no thousands separators, "." for decimals)',
  ),
);

/** The panel formats money with Intl.NumberFormat, which throws on anything but a 3-letter code. */
const currencyPattern = /^[A-Z]{3}$/;
export const currencyCode = checkedLeaf(
  (value) => (typeof value === 'string' ? asText(value.toUpperCase()) : value),
  (value): value is string => typeof value === 'string' && currencyPattern.test(value),
  expected('an ISO 4217 currency code such as "EUR"'),
);

const dateExpectation = expected('an ISO 8601 date such as "2026-02-27T09:14:00Z"');
// Bare, as the text-then-transform pipe it replaces was: an absent key is left out all the same.
export const isoDate = leaf((value) => {
  const text = asText(value);
  if (text === null || text === undefined) return text;
  const iso = typeof text === 'string' ? normalizeIsoDate(text) : null;
  return iso ?? new Refusal([dateExpectation({ input: text })]);
});

/**
 * The panel renders these as clickable links and images, so only http: and https: pass: a
 * `javascript:` or `data:` URL from a compromised or careless CRM must never reach an href. The
 * WHATWG-normalized form is kept, so what is shown is exactly what was checked.
 */
const absoluteHttpUrl = z
  .url({
    protocol: /^https?$/,
    normalize: true,
    error: expected('an absolute http:// or https:// URL'),
  })
  .max(2048, { error: 'expected a URL of at most 2048 characters' });

/** The text of a URL field as `absoluteHttpUrl` checks it, or a Refusal with zod's reasons. */
function readHttpUrl(text: unknown): string | Refusal {
  const checked = absoluteHttpUrl.safeParse(text);
  return checked.success ? checked.data : new Refusal(checked.error.issues.map((issue) => issue.message));
}

export const httpUrl = leaf((value) => {
  const text = asText(value);
  return text === null || text === undefined ? text : readHttpUrl(text);
}).optional();

/** For objects that are useless without their URL (a link). */
export const requiredHttpUrl = z.preprocess(asText, absoluteHttpUrl);

/** Yes/no as JSON booleans, or the 1/0 and "true"/"false" that form-encoded backends produce. */
function asFlag(value: unknown): unknown {
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (word === 'true' || word === '1') return true;
  if (word === 'false' || word === '0') return false;
  return word === '' ? null : value;
}

export const flag = checkedLeaf(
  asFlag,
  (value): value is boolean => typeof value === 'boolean',
  expected('true or false'),
);

/**
 * A list whose wrong entries can be left out. The lenient parser replaces a wrong entry with
 * `undefined` instead of removing it, so the indexes in later warnings still match what the CRM sent;
 * JSON itself never holds `undefined`, so accepting it hides nothing.
 */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item.optional(), { error: expected('a list') }).nullish();

/** `tracking: {…}` and `tracking: [{…}]` are both common; the lenient parser reports paths as sent. */
export const oneOrListOf = <T extends z.ZodType>(item: T, what: string) =>
  z.union([z.array(item.optional()), item], { error: expected(`${what} or a list of them`) }).nullish();

/** Shopify and others send tags as one comma-separated string. */
export const tagList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',') : value),
  listOf(text),
);

/** A single note stays whole: notes contain commas. */
export const noteList = z.preprocess((value) => (typeof value === 'string' ? [value] : value), listOf(text));

/** A structured address ({street, city, zip, …}) is shown on one line, in the order the CRM sent. */
export const address = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const parts = Object.values(value).flatMap((part) => {
    const line = asText(part);
    return typeof line === 'string' ? [line] : [];
  });
  return parts.length > 0 ? parts.join(', ') : null;
}, text);

/** An object of the answer; fields it does not know are kept (zod's loose object) for `extra`. */
export const entity = <Shape extends z.ZodRawShape>(what: string, shape: Shape) =>
  z.looseObject(shape, { error: expected(what) });
