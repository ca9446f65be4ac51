import type { z } from 'zod';

/*
 * One-pass readers of the CRM answer schemas, for the usual case: an answer with nothing to leave out.
 * Each schema builder in fields.ts registers, beside the zod schema it makes, a reader that returns
 * what that schema's parse would for every value the reader accepts, and REJECT for anything else.
 * The lenient parse tries the reader first and runs zod (with its cuts and warnings) only on REJECT,
 * so a reader may reject more than zod does, never less. zod walks a value through several layers
 * per field (payloads, issue lists, optional and nullable wrappers); on the side panel's uncached
 * path that walk was the largest cost of Parley's own, and a good answer needs none of it.
 */

export const REJECT: unique symbol = Symbol('reject');
export type FastReader<T> = (value: unknown) => T | typeof REJECT;

const readers = new WeakMap<z.core.$ZodType, FastReader<unknown>>();

/** Registers `read` as the fast reader of `schema`, and returns the schema. */
export function withFastReader<S extends z.core.$ZodType>(schema: S, read: FastReader<z.output<S>>): S {
  readers.set(schema, read);
  return schema;
}

/** The fast reader of a schema built by these builders; undefined for any other schema. */
export const fastReaderOf = <S extends z.core.$ZodType>(schema: S): FastReader<z.output<S>> | undefined =>
  readers.get(schema) as FastReader<z.output<S>> | undefined;

/** The reader of a schema that must have one (every schema the builders compose). */
export function requireFastReader<S extends z.core.$ZodType>(schema: S): FastReader<z.output<S>> {
  const read = fastReaderOf(schema);
  if (read === undefined) throw new Error('a CRM answer schema was built without its fast reader');
  return read;
}

/** `.optional()`: undefined passes as is. */
export const optionalReader =
  <T>(read: FastReader<T>): FastReader<T | undefined> =>
  (value) =>
    value === undefined ? undefined : read(value);

/** `.nullish()`: null and undefined pass as they are. */
export const nullishReader =
  <T>(read: FastReader<T>): FastReader<T | null | undefined> =>
  (value) =>
    value === null || value === undefined ? value : read(value);

/** `z.array(item.optional())`. */
export const listReader =
  <T>(item: FastReader<T>): FastReader<Array<T | undefined>> =>
  (value) => {
    if (!Array.isArray(value)) return REJECT;
    const list: Array<T | undefined> = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      const entry: unknown = value[index];
      if (entry === undefined) continue;
      const read = item(entry);
      if (read === REJECT) return REJECT;
      list[index] = read;
    }
    return list;
  };

/**
 * `z.looseObject(shape)`: the shape's keys in its order, then the keys it does not know, as sent.
 * An absent key is read as undefined (so a required one rejects) and left out when that gives
 * undefined; `__proto__` is never copied, as zod never copies it.
 */
export function looseObjectReader(
  shape: Readonly<Record<string, FastReader<unknown>>>,
): FastReader<Record<string, unknown>> {
  const entries = Object.entries(shape);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return REJECT;
    const input = value as Record<string, unknown>;
    const output: Record<string, unknown> = {};
    for (const [key, read] of entries) {
      const field = read(input[key]);
      if (field === REJECT) return REJECT;
      if (field !== undefined) output[key] = field;
    }
    for (const key in input) {
      if (!Object.hasOwn(shape, key) && key !== '__proto__') output[key] = input[key];
    }
    return output;
  };
}
