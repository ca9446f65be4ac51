import { randomBytes } from 'node:crypto';

/** Prefixed random ids (`shop_…`, `agt_…`, `evt_…`) so an id says what it names in logs and support tickets. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;
