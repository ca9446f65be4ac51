export { authenticateToken, type Principal } from './authenticate.ts';
export {
  allowCallers,
  authorizeBearer,
  bearerToken,
  customAuthRoute,
  publicRoute,
  type CallerAccess,
} from './request-auth.ts';
export { getShop, createShop, presentShop } from './service.ts';
export {
  bootstrapFirstStart,
  findDemoShopId,
  renderFirstStartBanner,
  mcpClientSnippet,
  type FirstStartSecrets,
} from './bootstrap.ts';
export { registerShopRoutes } from './routes.ts';
export { shopCountry } from './country.ts';
export { shopTools } from './tools.ts';
export { inShopChange } from './change-transaction.ts';
