import { z } from 'zod';

/**
 * A tool argument documented as "object or JSON string". AI clients often send a nested object
 * as JSON text; both forms go through the same schema, so they are refused with the same messages.
 */
export const objectOrJsonString = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is a string but not valid JSON (${(error as Error).message}); pass the object itself or its JSON text`,
      });
      return z.NEVER;
    }
  }, schema);
