/**
 * The demo CRM beside the demo shop, so a newcomer sees a customer right away: Parley runs
 * examples/demo-crm in-process on 127.0.0.1, verifying calls with the demo shop's signing secret,
 * and points the demo shop's six CRM endpoints at it. It serves fake data only, which is why the
 * outbound policy may let exactly its address through while the demo runs.
 */
import { eq } from 'drizzle-orm';
import { crmEndpointDefinition } from '@parley/contract';
import { demoCrmEndpoints } from '../../../../../examples/demo-crm/endpoints.ts';
import { startDemoCrm, type DemoCrm } from '../../../../../examples/demo-crm/server.ts';
import type { AppDeps } from '../../app-deps.ts';
import { serverMeta } from '../../db/schema.ts';
import { parseAllowList, type AllowRule } from '../../lib/outbound/index.ts';
import { applyCrmEndpointChange, getCrmEndpointForCall, getRequestSigningSecret } from '../crm/index.ts';
import { findDemoShopId } from '../shops/index.ts';

const DEMO_CRM_HOST = '127.0.0.1';

/** The base URL the demo shop's endpoints were last pointed at, so they can follow a port change. */
const DEMO_CRM_URL_KEY = 'demo_crm_url';

export interface RunningDemoCrm {
  shopId: string;
  /** e.g. `http://127.0.0.1:8788`. */
  url: string;
  /** What the outbound client needs to reach it: one rule, its IP and port. */
  allowRules: AllowRule[];
  close(): Promise<void>;
}

/**
 * Starts the demo CRM when the demo is on and the demo shop exists. A port in use is not worth
 * refusing to start the server for: the demo shop's CRM calls fail, and the log says how to fix it.
 */
export async function startDemoShopCrm(
  deps: Pick<AppDeps, 'db' | 'secrets' | 'config' | 'logger'>,
): Promise<RunningDemoCrm | undefined> {
  if (deps.config.PARLEY_DISABLE_DEMO) return undefined;
  const shopId = await findDemoShopId(deps.db);
  if (shopId === undefined) return undefined;
  const port = deps.config.PARLEY_DEMO_CRM_PORT;
  let crm: DemoCrm;
  try {
    crm = await startDemoCrm({
      port,
      host: DEMO_CRM_HOST,
      // Read on every call, so rotate_request_signing_secret on the demo shop applies at once.
      signingSecret: () => getRequestSigningSecret(deps, shopId),
      // The path only: the query string carries the phone looked up and, for a CRM set up with
      // `auth: query`, another shop's token (anyone on this machine may call the demo CRM).
      onRequest: ({ target, ...entry }) =>
        deps.logger.debug({ ...entry, path: target.split('?', 1)[0] }, 'demo CRM request'),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    deps.logger.warn(
      `Demo CRM not started: ${DEMO_CRM_HOST}:${port} is in use, so the demo shop's CRM calls fail. ` +
        'Free the port, set PARLEY_DEMO_CRM_PORT to another one (0 picks a free one), or PARLEY_DISABLE_DEMO=true.',
    );
    return undefined;
  }
  deps.logger.info({ url: crm.url, shop_id: shopId }, 'demo CRM (fake data) serving the demo shop');
  return { shopId, url: crm.url, allowRules: parseAllowList(new URL(crm.url).host), close: crm.close };
}

/**
 * Points the demo shop's endpoints at the running demo CRM: all six the first time; after a port
 * change, only those still at the previous demo CRM, so an endpoint an admin re-pointed stays.
 */
export async function pointDemoShopAtDemoCrm(
  deps: Pick<AppDeps, 'db' | 'secrets' | 'outbound' | 'clock' | 'invalidation'>,
  demo: RunningDemoCrm,
): Promise<void> {
  const [stored] = await deps.db.select().from(serverMeta).where(eq(serverMeta.key, DEMO_CRM_URL_KEY));
  const previous = stored?.value;
  if (previous === demo.url) return;
  const previousUrls =
    previous === undefined
      ? undefined
      : new Map(demoCrmEndpoints(previous).map((definition) => [definition.type, definition.url]));
  for (const definition of demoCrmEndpoints(demo.url)) {
    if (previousUrls !== undefined) {
      const current = await getCrmEndpointForCall(deps, demo.shopId, definition.type);
      if (current?.url !== previousUrls.get(definition.type)) continue;
    }
    await applyCrmEndpointChange(deps, demo.shopId, { add: crmEndpointDefinition.parse(definition) });
  }
  await deps.db
    .insert(serverMeta)
    .values({ key: DEMO_CRM_URL_KEY, value: demo.url })
    .onConflictDoUpdate({ target: serverMeta.key, set: { value: demo.url, updatedAt: deps.clock.now() } });
}
