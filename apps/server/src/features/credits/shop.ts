import type { AppDeps } from '../../app-deps.ts';
import { getShop } from '../shops/index.ts';
import type { CreditShop } from './balance.ts';

/** The shop's id and time zone; 404 NOT_FOUND when it does not exist. */
export async function loadCreditShop(deps: Pick<AppDeps, 'db'>, shopId: string): Promise<CreditShop> {
  const { id, timezone } = await getShop(deps.db, shopId);
  return { id, timezone };
}
