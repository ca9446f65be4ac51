export { authenticateToken, getShop, createShop, presentShop, type Principal } from './service.ts';
export {
  bootstrapFirstStart,
  findDemoShopId,
  renderFirstStartBanner,
  mcpClientSnippet,
  type FirstStartSecrets,
} from './bootstrap.ts';
export { registerShopRoutes } from './routes.ts';
export { shopCountry } from './country.ts';
