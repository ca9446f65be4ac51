export { registerPanelRoutes } from './routes.ts';
export { createPanelService, type PanelService } from './service.ts';
export { defaultPanelPolicy, type PanelPolicy } from './policy.ts';
export { linkedPhonesFor } from './links.ts';
