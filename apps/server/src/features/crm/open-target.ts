/** A stored endpoint as the exchange needs it: its credentials and the shop's signing secret opened. */
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import { openCredentials } from '../../lib/credentials.ts';
import { prepareTarget, type PreparedTarget } from './exchange.ts';
import type { EndpointWithSecret } from './store.ts';

export const openStoredTarget = (
  deps: Pick<AppDeps, 'secrets'>,
  { endpoint, sealedSigningSecret }: EndpointWithSecret,
): PreparedTarget =>
  prepareTarget({
    url: endpoint.url,
    method: endpoint.method,
    timeoutMs: endpoint.timeoutMs,
    credentials: openCredentials(
      deps.secrets,
      endpoint.credentials,
      boundTo(endpoint.shopId, 'crm_endpoints.credentials'),
    ),
    signingSecret: deps.secrets.open(
      sealedSigningSecret,
      boundTo(endpoint.shopId, 'shops.request_signing_secret'),
    ),
  });
