export { registerPanelRoutes } from './routes.ts';
export { linkedPhonesFor } from './links.ts';
