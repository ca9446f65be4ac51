export * from './errors.ts';
export * from './shops.ts';
