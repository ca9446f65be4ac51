/** The SQL of the crm feature: every query is scoped by shop. */
import { and, eq } from 'drizzle-orm';
import { crmEndpointTypes, type CrmEndpointType } from '@parley/contract';
import type { Db } from '../../db/database.ts';
import { crmEndpoints } from '../../db/schema.ts';
import type { CrmEndpointRow } from './present.ts';

/** The shop's endpoints in the order of SPEC §4, so listings read the same every time. */
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
