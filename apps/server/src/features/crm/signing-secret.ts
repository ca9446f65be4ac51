/**
 * The shop's request-signing secret (docs/crm-endpoints.md#verifying-the-signature): the HMAC key of
 * `X-Parley-Signature` on every CRM call. It is the one secret Parley shows, because the integrator's CRM
 * needs it to verify calls.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo, type SealedField } from '../../lib/secret-box.ts';
import { shops } from '../../db/schema.ts';
import { REDACTED } from '../../lib/credentials.ts';
import { notFound } from '../../lib/errors.ts';
import type { ChangePlan } from '../tool.ts';
import { getShop } from '../shops/index.ts';
import { forgetEndpointForCall } from './endpoint-cache.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets'>;

/** The sealed secret opens only for this column of its shop. */
const FIELD: SealedField = 'shops.request_signing_secret';

/** How a CRM verifies a call; returned beside the secret so the integrator has both at hand. */
export const signatureScheme =
  'Every call carries X-Parley-Timestamp (unix seconds) and X-Parley-Signature: the hex HMAC-SHA256, keyed with ' +
  'request_signing_secret, of "<timestamp>.<METHOD>.<path and query as sent>.<body, empty for GET>". ' +
  'Refuse calls with another signature or an old timestamp (for example more than 5 minutes from your clock).';

export async function getRequestSigningSecret(deps: Deps, shopId: string): Promise<string> {
  const shop = await getShop(deps.db, shopId);
  return deps.secrets.open(shop.requestSigningSecret, boundTo(shopId, FIELD));
}

export async function planSigningSecretRotation(
  deps: Deps & Pick<AppDeps, 'invalidation'>,
  shopId: string,
): Promise<ChangePlan> {
  const shop = await getShop(deps.db, shopId);
  return {
    summary: 'replace the request signing secret with a new random one',
    consequence:
      'CRM calls are signed with the new secret from now on; a CRM that verifies X-Parley-Signature refuses ' +
      'them until it is given the new secret (shown once in the result, and by get_crm_endpoints).',
    before: { request_signing_secret: REDACTED },
    after: { request_signing_secret: 'a new random secret, shown once the change is applied' },
    // The sealed value changes with every rotation, so a rotation by someone else makes this preview stale.
    hidden: shop.requestSigningSecret,
    commit: () => rotateRequestSigningSecret(deps, shopId),
  };
}

async function rotateRequestSigningSecret(deps: Deps & Pick<AppDeps, 'invalidation'>, shopId: string) {
  const secret = randomBytes(32).toString('base64url');
  const updated = await deps.db
    .update(shops)
    .set({ requestSigningSecret: deps.secrets.seal(secret, boundTo(shopId, FIELD)) })
    .where(eq(shops.id, shopId))
    .returning({ id: shops.id });
  if (updated.length === 0) throw notFound(`Shop ${shopId} does not exist.`);
  await forgetEndpointForCall(deps, shopId);
  return {
    status: 'applied',
    request_signing_secret: secret,
    message: 'Copy this secret into your CRM now: calls are signed with it from now on.',
    signature_scheme: signatureScheme,
  };
}
