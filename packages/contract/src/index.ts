export * from './errors.ts';
export * from './shops.ts';
export * from './webhook-config.ts';
export * from './endpoint-settings.ts';
export * from './json-argument.ts';
export * from './crm-endpoints.ts';
export * from './custom-functions.ts';
