export { type BalanceRow, type CreditShop } from './balance.ts';
export { getCreditsInfo } from './info.ts';
export { loadCreditShop } from './shop.ts';
export {
  reserveCredits,
  settleCharge,
  type CreditCharge,
  type CreditReservation,
  type SettledCharge,
} from './reservations.ts';
export { registerCreditRoutes } from './routes.ts';
export { creditTools } from './tools.ts';
