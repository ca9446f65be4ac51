/**
 * Parley validates requests with zod (lib/validation.ts) and gives Fastify no route schemas. Fastify
 * still loads ajv and fast-json-stringify at every start unless it is handed compilers of its own
 * (bench/startup.ts measures a start). These stand-ins make a route that declares a schema fail at
 * start-up, loudly, instead of going unchecked.
 */
import type { FastifyServerOptions } from 'fastify';

const refuseRouteSchemas = (): never => {
  throw new Error('Fastify route schemas are not used: validate the request with zod (lib/validation.ts).');
};

export const noRouteSchemas: FastifyServerOptions['schemaController'] = {
  compilersFactory: { buildValidator: refuseRouteSchemas, buildSerializer: refuseRouteSchemas },
};
