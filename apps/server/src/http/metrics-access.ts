/**
 * Who may read `GET /metrics`: the admin token, or PARLEY_METRICS_TOKEN for a scraper that should
 * hold nothing more. The metrics name routes, tools and shops' activity, so they are not public.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { AppError, isAppError } from '../lib/errors.ts';
import { safeEqual } from '../lib/tokens.ts';
import { authorizeBearer, bearerToken } from '../features/shops/index.ts';

const howToRead =
  'GET /metrics needs Authorization: Bearer <the admin token or PARLEY_METRICS_TOKEN> ' +
  '(Prometheus: `authorization: { credentials: <token> }` in the scrape config).';

export async function requireMetricsReader(request: FastifyRequest, deps: AppDeps): Promise<void> {
  const token = bearerToken(request);
  const metricsToken = deps.config.PARLEY_METRICS_TOKEN;
  if (token !== undefined && metricsToken !== undefined && safeEqual(token, metricsToken)) return;
  try {
    await authorizeBearer(deps, token, { kinds: ['admin'] });
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(
      error.code,
      `${error.code === 'FORBIDDEN' ? 'Forbidden' : 'Unauthorized'}: ${howToRead}`,
      error.status,
    );
  }
}
