import { z } from 'zod';
import { inputHazards } from './boundary.ts';

/**
 * A tool argument documented as "object or JSON string". AI clients often send a nested object
 * as JSON text; both forms go through the same schema, so they are refused with the same messages.
 */
export const objectOrJsonString = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      const parsed = JSON.parse(value) as unknown;
      // The text escaped what the boundary looks for (a "\u0000" escape, nesting): check the value it holds.
      const hazards = inputHazards(parsed);
      for (const { path, message } of hazards) ctx.addIssue({ code: 'custom', path, message });
      return hazards.length > 0 ? z.NEVER : parsed;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is a string but not valid JSON (${(error as Error).message}); pass the object itself or its JSON text`,
      });
      return z.NEVER;
    }
  }, schema);
