/** The SQL of the crm feature: every query is scoped by shop, but the probe's scan of disabled endpoints. */
import { and, eq, isNotNull } from 'drizzle-orm';
import { crmEndpointTypes, type CrmEndpointType } from '@parley/contract';
import type { Db } from '../../db/database.ts';
import { crmEndpoints, shops } from '../../db/schema.ts';
import type { CrmEndpointRow } from './present.ts';

/**
 * The shop's endpoints in the order of docs/crm-endpoints.md#the-six-types, so listings read the same every
 * time.
 */
export async function selectEndpoints(db: Db, shopId: string): Promise<CrmEndpointRow[]> {
  const rows = await db.select().from(crmEndpoints).where(eq(crmEndpoints.shopId, shopId));
  return rows.sort((a, b) => crmEndpointTypes.indexOf(a.type) - crmEndpointTypes.indexOf(b.type));
}

export async function selectEndpoint(
  db: Db,
  shopId: string,
  type: CrmEndpointType,
): Promise<CrmEndpointRow | undefined> {
  const [row] = await db
    .select()
    .from(crmEndpoints)
    .where(and(eq(crmEndpoints.shopId, shopId), eq(crmEndpoints.type, type)));
  return row;
}

export const configuredTypes = (rows: CrmEndpointRow[]) => rows.map((row) => row.type);

export const unconfiguredTypes = (rows: CrmEndpointRow[]) => {
  const configured = new Set(configuredTypes(rows));
  return crmEndpointTypes.filter((type) => !configured.has(type));
};

/** An endpoint row with its shop's sealed request-signing secret: all one call needs, in one query. */
export interface EndpointWithSecret {
  endpoint: CrmEndpointRow;
  sealedSigningSecret: string;
}

const withSecret = {
  endpoint: crmEndpoints,
  sealedSigningSecret: shops.requestSigningSecret,
};

export async function selectEndpointWithSecret(
  db: Db,
  shopId: string,
  type: CrmEndpointType,
): Promise<EndpointWithSecret | undefined> {
  const [row] = await db
    .select(withSecret)
    .from(crmEndpoints)
    .innerJoin(shops, eq(shops.id, crmEndpoints.shopId))
    .where(and(eq(crmEndpoints.shopId, shopId), eq(crmEndpoints.type, type)));
  return row;
}

/** Disabled endpoints of every shop, for the self-healing probe (a partial index keeps this cheap). */
export const selectDisabledEndpoints = (db: Db): Promise<EndpointWithSecret[]> =>
  db
    .select(withSecret)
    .from(crmEndpoints)
    .innerJoin(shops, eq(shops.id, crmEndpoints.shopId))
    .where(and(eq(crmEndpoints.enabled, false), isNotNull(crmEndpoints.disabledAt)));
